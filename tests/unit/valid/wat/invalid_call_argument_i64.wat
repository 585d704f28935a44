;; TypeErrors.CallArguments: call at 2 in function 1.
(module
  (func (param i32))
  (func i64.const 1 call 0)
  (func
    ))

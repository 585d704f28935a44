;; TypeErrors.CallArguments: call at 2 in function 1.
(module
  (func (param i32 i32))
  (func i32.const 1 call 0)
  (func
    ))

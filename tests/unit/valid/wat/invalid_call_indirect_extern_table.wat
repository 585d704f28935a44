;; TypeErrors.CallIndirect: call_indirect at 2.
(module
  (table 1 externref)
  (func
    i32.const 0 call_indirect (type 0)))

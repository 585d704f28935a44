;; TypeErrors.CallIndirect: call_indirect at 2.
(module
  (func
    i32.const 0 call_indirect (type 0)))

;; TypeErrors.CallIndirect: call_indirect at 2.
(module
  (table 1 funcref)
  (func
    i64.const 0 call_indirect (type 0)))

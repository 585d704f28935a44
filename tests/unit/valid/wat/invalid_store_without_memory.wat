;; TypeErrors.MemoryOpsNeedAMemory: i64.store at 4.
(module
  (func
    i32.const 0 i64.const 0 i64.store))

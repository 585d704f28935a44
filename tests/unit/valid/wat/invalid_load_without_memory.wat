;; TypeErrors.MemoryOpsNeedAMemory: i32.load at 2.
(module
  (func
    i32.const 0 i32.load drop))

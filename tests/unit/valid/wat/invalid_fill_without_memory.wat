;; TypeErrors.MemoryOpsNeedAMemory: memory.fill at 6.
(module
  (func
    i32.const 0 i32.const 0 i32.const 0 memory.fill))

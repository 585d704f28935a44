;; TypeErrors.MemoryOpsNeedAMemory: memory.grow at 2.
(module
  (func
    i32.const 1 memory.grow drop))

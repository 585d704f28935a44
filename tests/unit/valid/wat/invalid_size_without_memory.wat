;; TypeErrors.MemoryOpsNeedAMemory: memory.size at 0.
(module
  (func
    memory.size drop))

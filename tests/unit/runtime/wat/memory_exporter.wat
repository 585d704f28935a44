;; EndToEnd.SharedMemoryKeepsWritesOfFailedInstantiation: M1.
(module
  (memory (export "mem") 1))

;; EndToEnd.SharedMemoryKeepsWritesOfFailedInstantiation: an unknown import.
(module
  (import "M1" "nope" (memory 1)))

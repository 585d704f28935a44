;; EndToEnd.SharedMemoryKeepsWritesOfFailedInstantiation: the first segment
;; fits M1's memory, the second does not.
(module
  (import "M1" "mem" (memory 1))
  (data (i32.const 0) "a")
  (data (i32.const 65536) "b"))

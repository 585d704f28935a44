;; Limits.MemorySize: an imported memory of at most 70000 pages.
(module
  (import "env" "m0" (memory 0 70000)))

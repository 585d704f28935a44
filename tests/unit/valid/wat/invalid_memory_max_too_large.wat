;; Limits.MemorySize: a maximum of 65537 pages.
(module
  (memory 0 65537))

;; Limits.MemorySize: a minimum of 65537 pages.
(module
  (memory 65537))

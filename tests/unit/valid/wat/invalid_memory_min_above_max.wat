;; Limits.MinimumAboveMaximum: memory.
(module
  (memory 2 1))

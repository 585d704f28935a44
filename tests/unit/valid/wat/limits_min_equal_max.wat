;; Minimum equal to maximum is valid (Limits.MinimumAboveMaximum).
(module
  (table 5 5 externref)
  (memory 3 3))

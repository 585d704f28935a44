;; Limits.MinimumAboveMaximum: table.
(module
  (table 10 9 funcref))

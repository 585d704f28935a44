;; TypeErrors.UnknownIndices: table.size at 0.
(module
  (func
    table.size 0 drop))

;; TypeErrors.UnknownIndices: table.get at 2.
(module
  (table 1 funcref)
  (func
    i32.const 0 table.get 2 drop))

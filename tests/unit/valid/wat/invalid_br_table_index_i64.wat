;; TypeErrors.BrTable: the index must be an i32, br_table at 2.
(module
  (func
    i64.const 0 br_table 0))

;; TypeErrors.UnknownLabel: br_table at 2.
(module
  (func
    i32.const 0 br_table 0 3))

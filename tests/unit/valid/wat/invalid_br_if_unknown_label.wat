;; TypeErrors.UnknownLabel: br_if at 2.
(module
  (func
    i32.const 0 br_if 1))

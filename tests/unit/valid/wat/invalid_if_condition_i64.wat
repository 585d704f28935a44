;; TypeErrors.IfWithoutElse: the condition must be an i32, if at 2.
(module
  (func
    i64.const 1 if end))

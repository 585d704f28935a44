;; ConstExpr.WrongType: an i64 data segment offset.
(module
  (memory 1)
  (data (i64.const 0)))

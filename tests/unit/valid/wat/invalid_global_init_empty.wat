;; ConstExpr.WrongType: no value.
(module
  (global i64))

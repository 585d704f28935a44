;; ConstExpr.WrongType: an i64 for an i32 global.
(module
  (global i32 (i64.const 1)))

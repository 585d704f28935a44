;; ConstExpr.GlobalGet: an i64 global for an i32 one.
(module
  (import "env" "g" (global i64))
  (global i32 (global.get 0)))

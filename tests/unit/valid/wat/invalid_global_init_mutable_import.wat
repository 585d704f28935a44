;; ConstExpr.GlobalGet: global 0 is imported but mutable.
(module
  (import "env" "g" (global (mut i32)))
  (global i32 (global.get 0)))

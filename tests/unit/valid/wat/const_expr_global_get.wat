;; An imported immutable global read by a global initializer and a data
;; segment offset (ConstExpr.GlobalGet).
(module
  (import "env" "g0" (global i32))
  (global i32 (global.get 0))
  (memory 1)
  (data (global.get 0) "x"))

;; ConstExpr.GlobalGet: a segment offset may not read a defined global.
(module
  (global i32 (i32.const 1))
  (memory 1)
  (data (global.get 0) "x"))

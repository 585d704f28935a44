;; ConstExpr.GlobalGet: global 1 may not read defined global 0.
(module
  (global i32 (i32.const 1))
  (global i32 (global.get 0)))

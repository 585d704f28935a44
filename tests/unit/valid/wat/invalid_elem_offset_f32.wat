;; ConstExpr.WrongType: an f32 elem segment offset.
(module
  (table 1 funcref)
  (elem (f32.const 0)))

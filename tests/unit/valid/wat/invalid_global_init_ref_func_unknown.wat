;; ConstExpr.RefFuncInConstantExpressions: unknown function 5.
(module
  (global funcref (ref.func 5)))

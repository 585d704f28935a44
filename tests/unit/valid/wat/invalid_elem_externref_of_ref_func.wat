;; ConstExpr.RefFuncInConstantExpressions: a passive externref segment of (ref.func 0).
(module
  (func)
  (elem externref (item ref.func 0)))

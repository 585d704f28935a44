;; ConstExpr.WrongType: an externref for a funcref global.
(module
  (global funcref (ref.null extern)))

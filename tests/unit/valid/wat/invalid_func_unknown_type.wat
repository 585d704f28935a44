;; Module.UnknownFunctionType: defined.
(module
  (type (func))
  (func (type 4)))

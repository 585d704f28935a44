;; Module.UnknownFunctionType: imported.
(module
  (import "env" "f0" (func (type 2))))

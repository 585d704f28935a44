;; A v128 local.
(module (func (export "f") (local v128)))

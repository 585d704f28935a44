;; A v128 result.
(module (func (export "f") (result v128) unreachable))

;; A v128 global.
(module (global v128 (v128.const i64x2 0 0)))

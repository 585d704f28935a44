;; JitTier (run): Lo's "div"(a, b) calls a host function (counting calls),
;; then divides.
(module
  (import "env" "f0" (func $host))
  (func (export "div") (param i32 i32) (result i32)
    call $host
    local.get 0
    local.get 1
    i32.div_s))

;; Well-formed but invalid (built with wat2wasm --no-check): the body leaves
;; an i64 where the function returns an i32.
(module (func (result i32) (i64.const 1)))

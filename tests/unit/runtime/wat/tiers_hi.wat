;; JitTier (run): Hi's "run"(a, b) = Lo's "div"(a, b) + 1, through an import.
(module
  (import "env" "f0" (func $div (param i32 i32) (result i32)))
  (func (export "run") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $div
    i32.const 1
    i32.add))

;; Execution.FusedAddressArithmetic: base + (i << k) in one instruction, the
;; shift on the right or on the left; a shifted value that is also still on
;; the stack is not fused away.
(module
  (func (export "right") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.const 2
    i32.shl
    i32.add)
  (func (export "left") (param i32 i32) (result i32)
    local.get 1
    i32.const 2
    i32.shl
    local.get 0
    i32.add)
  (func (export "both") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.shl
    local.tee 0
    local.get 0
    i32.add))

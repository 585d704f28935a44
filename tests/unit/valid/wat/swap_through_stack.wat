;; Execution.SwapThroughTheStack: a swap of two locals and a rotation of
;; three, (a b c) -> (b c a), through the stack.
(module
  (func (export "swap") (param i32 i32) (result i32 i32)
    local.get 0
    local.get 1
    local.set 0
    local.set 1
    local.get 0
    local.get 1)
  (func (export "rot") (param i32 i32 i32) (result i32 i32 i32)
    local.get 0
    local.get 1
    local.get 2
    local.set 0
    local.set 2
    local.set 1
    local.get 0
    local.get 1
    local.get 2))

;; Execution.LocalTeeChain: (3x, 50).
(module
  (func (export "f") (param i32) (result i32 i32) (local i32 i32)
    local.get 0
    local.tee 1
    local.tee 2
    local.get 1
    i32.add
    local.get 2
    i32.add
    i32.const 5
    local.tee 1
    local.get 1
    i32.mul
    local.tee 2
    local.get 2
    i32.add))

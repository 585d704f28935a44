;; Execution.ReturnOfSwappedLocals: results that are locals in another order,
;; by return, by the function's end and by br to the function's label.
(module
  (func (export "ret") (param i32 i32) (result i32 i32)
    local.get 1
    local.get 0
    return)
  (func (export "end") (param i32 i32) (result i32 i32)
    local.get 1
    local.get 0)
  (func (export "extra") (param i32 i32) (result i32 i32)
    i32.const 9
    local.get 1
    local.get 0
    return)
  (func (export "rot1") (param i32 i32 i32) (result i32 i32 i32)
    local.get 2
    local.get 0
    local.get 1
    return)
  (func (export "rot2") (param i32 i32 i32) (result i32 i32 i32)
    local.get 1
    local.get 2
    local.get 0)
  (func (export "dup") (param i32 i32) (result i32 i32 i32)
    local.get 1
    local.get 1
    local.get 0)
  (func (export "br") (param i32 i32) (result i32 i32)
    block
      local.get 1
      local.get 0
      br 1
    end
    unreachable))

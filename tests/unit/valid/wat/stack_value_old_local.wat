;; Execution.StackValueKeepsTheOldLocalValue: local.get 0 stays on the stack
;; while local 0 changes; each function returns (that value, local 0).
(module
  (func (export "block") (param i32) (result i32 i32)
    local.get 0
    block
      i32.const 42
      local.set 0
    end
    local.get 0)
  (func (export "loop") (param i32) (result i32 i32)
    local.get 0
    loop
      i32.const 42
      local.set 0
    end
    local.get 0)
  (func (export "if") (param i32) (result i32 i32)
    local.get 0
    i32.const 1
    if
      i32.const 42
      local.set 0
    end
    local.get 0)
  (func (export "else") (param i32) (result i32 i32)
    local.get 0
    i32.const 0
    if
    else
      i32.const 42
      local.set 0
    end
    local.get 0)
  ;; a produced result must not be written into the local early
  (func (export "add") (param i32) (result i32 i32)
    local.get 0
    i32.const 1
    i32.const 2
    i32.add
    local.set 0
    local.get 0)
  (func (export "tee") (param i32) (result i32 i32)
    local.get 0
    i32.const 7
    local.tee 0
    i32.add
    local.get 0)
  (func (export "nested") (param i32) (result i32 i32)
    local.get 0
    block
      block
        i32.const 42
        local.set 0
      end
    end
    local.get 0)
  (func (export "two refs") (param i32) (result i32 i32)
    local.get 0
    local.get 0
    i32.const 9
    local.set 0
    i32.add
    local.get 0)
  ;; the value passes through a block parameter first
  (func (export "param") (param i32) (result i32 i32)
    local.get 0
    block (param i32) (result i32)
      i32.const 42
      local.set 0
    end
    local.get 0))

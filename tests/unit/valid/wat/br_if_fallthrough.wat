;; Execution.BrIfFallthroughKeepsItsValues.
(module
  (func (export "one") (param i32 i32) (result i32)
    block (result i32)
      i32.const 7
      local.get 0
      local.get 1
      br_if 0
      i32.add
    end)
  (func (export "two") (param i32) (result i32 i32)
    block (result i32 i32)
      i32.const 1
      i32.const 2
      i32.const 3
      local.get 0
      br_if 0
      i32.add
    end)
  ;; from an inner block to the outer one, with a local as the value
  (func (export "outer") (param i32 i32) (result i32)
    block (result i32)
      block
        local.get 0
        local.get 1
        br_if 1
        i32.const 5
        i32.add
        local.set 0
      end
      local.get 0
    end)
  ;; to the function's label (a return) with swapped locals; the fallthrough
  ;; still sees (b, a)
  (func (export "ret") (param i32 i32 i32) (result i32 i32)
    local.get 1
    local.get 0
    local.get 2
    br_if 0
    i32.sub
    i32.const 42)
  ;; back to a loop's label with the decremented counter
  (func (export "loop") (param i32) (result i32) (local i32)
    local.get 0
    loop (param i32) (result i32)
      i32.const 1
      i32.sub
      local.tee 1
      local.get 1
      br_if 0
    end
    local.get 1
    i32.add))

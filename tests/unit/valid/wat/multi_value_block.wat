;; Execution.MultiValueBlockWithParams: (a, b) -> (a + b, a - b) in a block
;; with two parameters and two results.
(module
  (func (export "f") (param i32 i32) (result i32 i32) (local i32 i32)
    local.get 0
    local.get 1
    block (param i32 i32) (result i32 i32)
      local.set 3
      local.tee 2
      local.get 3
      i32.add
      local.get 2
      local.get 3
      i32.sub
    end))

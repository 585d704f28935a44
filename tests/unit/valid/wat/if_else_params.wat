;; Execution.IfElseWithParams: a + b if c, else a - b.
(module
  (func (export "f") (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    if (param i32 i32) (result i32)
      i32.add
    else
      i32.sub
    end))

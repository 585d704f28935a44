;; Execution.LoopWithParams: the counter and the sum travel on the stack as
;; the loop's parameters.
(module
  (func (export "f") (param i32) (result i32) (local i32 i32)
    local.get 0
    i32.const 0
    loop (param i32 i32) (result i32)
      local.set 2
      local.set 1
      local.get 2
      local.get 1
      i32.eqz
      br_if 1
      drop
      local.get 1
      i32.const 1
      i32.sub
      local.get 2
      local.get 1
      i32.add
      br 0
    end))

;; EndToEnd.MemoryDataLoadAndGrow.
(module
  (memory (export "mem") 1)
  (func (export "load") (param i32) (result i32)
    local.get 0
    i32.load8_u)
  (func (export "grow") (param i32) (result i32)
    local.get 0
    memory.grow)
  (data (i32.const 8) "hi"))

;; Execution.CallsKeepTheCallersStack.
(module
  (func $square (param i32) (result i32)
    local.get 0
    local.get 0
    i32.mul)
  ;; x + square(x + 1), with x still on the stack during the call
  (func (export "f") (param i32) (result i32)
    local.get 0
    local.get 0
    i32.const 1
    i32.add
    call $square
    i32.add)
  ;; square(b) - a, the argument taken straight from a local
  (func (export "g") (param i32 i32) (result i32)
    local.get 1
    call $square
    local.get 0
    i32.sub))

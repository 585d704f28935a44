;; EndToEnd.HostCallsBackIntoWasm: outer() = cb() + 1, where the host
;; function cb calls seven().
(module
  (import "env" "cb" (func $cb (result i32)))
  (func (export "seven") (result i32)
    i32.const 7)
  (func (export "outer") (result i32)
    call $cb
    i32.const 1
    i32.add))

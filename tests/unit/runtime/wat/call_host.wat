;; Interrupt.StopsABlockedHostCall: f (function 1) calls the host function.
(module
  (import "env" "f0" (func (result i32)))
  (func (export "f") (result i32)
    (call 0)))

;; Reentry: f(n) calls the host function, which calls f again with n + 1.
(module
  (import "env" "f0" (func $host (param i32) (result i32)))
  (func (export "f") (param i32) (result i32)
    (call $host (local.get 0))))

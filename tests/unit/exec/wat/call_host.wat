;; HostExceptions: f calls the host function.
(module
  (import "env" "f0" (func $host))
  (func (export "f")
    (call $host)))

;; A trap three calls deep, reached directly and through a host function
;; that calls back into wasm.
(module
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $middle (param i32) (result i32) (call $inner (local.get 0)))
  (func $outer (export "outer") (param i32) (result i32) (call $middle (local.get 0)))
  (func $via_host (export "via_host") (param i32) (result i32) (call $reenter (local.get 0))))

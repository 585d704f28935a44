;; Imports wnn cannot provide: an unknown wasi-nn function and `load` with a wrong type.
(module
  (import "wasi_ephemeral_nn" "bogus" (func (param i32) (result i32)))
  (import "wasi_ephemeral_nn" "load" (func (param i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "compute" (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))

;; For nn_embed_test: load the named graph "linear" (handle written at 16) and
;; make an execution context of a given graph handle (written at 20).
(module
  (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "unload" (func $unload (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "linear")
  (func (export "load") (result i32) (call $load_by_name (i32.const 0) (i32.const 6) (i32.const 16)))
  (func (export "graph") (result i32) (i32.load (i32.const 16)))
  (func (export "init") (param i32) (result i32) (call $init (local.get 0) (i32.const 20)))
  (func (export "unload") (param i32) (result i32) (call $unload (local.get 0))))

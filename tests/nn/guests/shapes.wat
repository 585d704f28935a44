;; For nn_embed_test: load the named graph given at 0 (its length as the argument of "load"),
;; then "run" sets input 0 to r = [r0, r1] (i64[2]) and computes: the errno of the first
;; failing call. Layout: 16 graph, 20 context, 32 dims [2], 40 r, 64 the tensor record.
(module
  (import "wasi_ephemeral_nn" "load_by_name" (func $load_by_name (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "init_execution_context" (func $init (param i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "set_input" (func $set_input (param i32 i32 i32) (result i32)))
  (import "wasi_ephemeral_nn" "compute" (func $compute (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "tile")
  (data (i32.const 32) "\02\00\00\00")
  ;; tensor record: dims_ptr 32, dims_len 1, type i64 (5), data_ptr 40, data_len 16
  (data (i32.const 64) "\20\00\00\00\01\00\00\00\05\00\00\00\28\00\00\00\10\00\00\00")
  (func (export "load") (param $len i32) (result i32)
    (local $e i32)
    (local.set $e (call $load_by_name (i32.const 0) (local.get $len) (i32.const 16)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $init (i32.load (i32.const 16)) (i32.const 20)))
  (func (export "run") (param $r0 i64) (param $r1 i64) (result i32)
    (local $e i32)
    (i64.store (i32.const 40) (local.get $r0))
    (i64.store (i32.const 48) (local.get $r1))
    (local.set $e (call $set_input (i32.load (i32.const 20)) (i32.const 0) (i32.const 64)))
    (if (local.get $e) (then (return (local.get $e))))
    (call $compute (i32.load (i32.const 20)))))

;; A WASI reactor: `_initialize` must run before other exports (`wnn run --invoke`).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $base (mut i32) (i32.const 0))
  (data (i32.const 16) "initialized\n")
  (func (export "_initialize")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 12))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (global.set $base (i32.const 1000)))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (global.get $base) (i32.add (local.get 0) (local.get 1)))))

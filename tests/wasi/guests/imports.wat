;; Imports wnn cannot provide: `wnn run` must list each with a hint.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_nonsense" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func (param i64) (result i32)))
  (import "wasi_ephemeral_nn" "load" (func (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "g" (global i32)))

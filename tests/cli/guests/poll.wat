;; poll_oneoff with a guest-chosen subscription count: returns its errno.
;; 80 M subscriptions would take 5.6 GB of host memory; wnn caps the count.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory 1)
  (func (export "poll") (param $n i32) (result i32)
    (call $poll (i32.const 0) (i32.const 0) (local.get $n) (i32.const 65532))))

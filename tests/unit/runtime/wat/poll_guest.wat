;; wasi_poll_limit_test: poll_oneoff of local 0 subscriptions, both they and
;; the events at 0 (zeroed: clock 0, timeout 0), the count of events at
;; 8 MiB - 4.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory 128)
  (func (export "poll") (param $n i32) (result i32)
    (call $poll_oneoff (i32.const 0) (i32.const 0) (local.get $n) (i32.const 8388604))))

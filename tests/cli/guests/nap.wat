;; Sleeps 200 ms in poll_oneoff (one relative clock subscription) and ends:
;; a run that takes a while without anything getting hot
;; (Cli.TheCompilerTierLoadsOnlyForStoredOrHotCode).
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; subscription at 0: userdata 0, tag 0 (clock), clock id 1 (monotonic) at
  ;; 16, timeout 200,000,000 ns at 24, precision 0, flags 0 (relative)
  (data (i32.const 16) "\01\00\00\00\00\00\00\00\00\c2\eb\0b\00\00\00\00")
  (func (export "_start")
    (drop (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))))

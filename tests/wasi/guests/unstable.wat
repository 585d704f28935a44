;; A guest of the older `wasi_unstable` ABI (snapshot 0): whence values and
;; the filestat/subscription layouts differ from preview1. Exits with the
;; number of the first failed check, 0 if all pass. Preopen fd 3 holds
;; data.txt = "data\n".
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "data.txt")
  (data (i32.const 32) "ok\n")
  (func $check (param $cond i32) (param $n i32)
    (if (i32.eqz (local.get $cond)) (then (call $proc_exit (local.get $n)))))
  (func (export "_start")
    (local $fd i32)
    ;; path_open(3, follow, "data.txt", oflags 0, rights all, all, fdflags 0, &fd @100)
    (call $check (i32.eqz (call $path_open (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 8)
                                          (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 100))) (i32.const 1))
    (local.set $fd (i32.load (i32.const 100)))
    ;; unstable whence 1 = END: offset = size = 5
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 1) (i32.const 104))) (i32.const 2))
    (call $check (i64.eq (i64.load (i32.const 104)) (i64.const 5)) (i32.const 3))
    ;; unstable whence 2 = SET
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 2) (i32.const 2) (i32.const 104))) (i32.const 4))
    (call $check (i64.eq (i64.load (i32.const 104)) (i64.const 2)) (i32.const 5))
    ;; unstable whence 0 = CUR: 2 + 1
    (call $check (i32.eqz (call $fd_seek (local.get $fd) (i64.const 1) (i32.const 0) (i32.const 104))) (i32.const 6))
    (call $check (i64.eq (i64.load (i32.const 104)) (i64.const 3)) (i32.const 7))
    ;; filestat (56 bytes): filetype u8 @16 = 4 (regular), nlink u32 @20 = 1, size u64 @24 = 5
    (memory.fill (i32.const 200) (i32.const 0xAA) (i32.const 64))
    (call $check (i32.eqz (call $fd_filestat_get (local.get $fd) (i32.const 200))) (i32.const 8))
    (call $check (i32.eq (i32.load8_u (i32.const 216)) (i32.const 4)) (i32.const 9))
    (call $check (i32.eq (i32.load (i32.const 220)) (i32.const 1)) (i32.const 10))
    (call $check (i64.eq (i64.load (i32.const 224)) (i64.const 5)) (i32.const 11))
    ;; nothing written past the 56 bytes
    (call $check (i32.eq (i32.load8_u (i32.const 256)) (i32.const 0xAA)) (i32.const 12))
    (call $check (i32.eqz (call $path_filestat_get (i32.const 3) (i32.const 1) (i32.const 16) (i32.const 8) (i32.const 300))) (i32.const 13))
    (call $check (i64.eq (i64.load (i32.const 324)) (i64.const 5)) (i32.const 14))
    ;; subscription (56 bytes): userdata @0, tag @8, identifier @16, clock id u32 @24, timeout @32
    (i64.store (i32.const 400) (i64.const 77))
    (i32.store8 (i32.const 408) (i32.const 0))
    (i32.store (i32.const 424) (i32.const 1))
    (i64.store (i32.const 432) (i64.const 1000000))
    (call $check (i32.eqz (call $poll_oneoff (i32.const 400) (i32.const 500) (i32.const 1) (i32.const 600))) (i32.const 15))
    (call $check (i32.eq (i32.load (i32.const 600)) (i32.const 1)) (i32.const 16))
    (call $check (i64.eq (i64.load (i32.const 500)) (i64.const 77)) (i32.const 17))
    (call $check (i32.eqz (i32.load16_u (i32.const 508))) (i32.const 18))
    ;; fd_write "ok\n"
    (i32.store (i32.const 0) (i32.const 32))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))

;; JitTier.*MemoryBounded*: clang's unrolled memcpy loop shape (`n -= 64`
;; while n > 31, unsigned), whose trip count ScalarEvolution cannot compute: its
;; copy without budget checks is bounded by the memory's size instead
;; (src/jit/charged_loops.cpp, memory_trip_bound).
(module
  (memory (export "memory") 1)
  ;; copy64(d, s, n): 64-byte blocks from s to d, n -= 64 while n > 31 (as
  ;; clang unrolls its memcpy loop: entered with n in 32..63, n wraps and the
  ;; copy goes on until it faults; ScalarEvolution gives no count)
  (func (export "copy64") (param $d i32) (param $s i32) (param $n i32)
    loop
      local.get $d
      local.get $s
      i64.load offset=0
      i64.store offset=0
      local.get $d
      local.get $s
      i64.load offset=8
      i64.store offset=8
      local.get $d
      local.get $s
      i64.load offset=16
      i64.store offset=16
      local.get $d
      local.get $s
      i64.load offset=24
      i64.store offset=24
      local.get $d
      local.get $s
      i64.load offset=32
      i64.store offset=32
      local.get $d
      local.get $s
      i64.load offset=40
      i64.store offset=40
      local.get $d
      local.get $s
      i64.load offset=48
      i64.store offset=48
      local.get $d
      local.get $s
      i64.load offset=56
      i64.store offset=56
      local.get $d
      i32.const 64
      i32.add
      local.set $d
      local.get $s
      i32.const 64
      i32.add
      local.set $s
      local.get $n
      i32.const -64
      i32.add
      local.tee $n
      i32.const 31
      i32.gt_u
      br_if 0
    end)
  ;; down32(s, n): the sum of mem32[s], mem32[s - 32], ... n -= 64 while
  ;; n > 31 (the address falls; below 0 it wraps and faults)
  (func (export "down32") (param $s i32) (param $n i32) (result i32)
    (local $sum i32)
    loop
      local.get $sum
      local.get $s
      i32.load
      i32.add
      local.set $sum
      local.get $s
      i32.const -32
      i32.add
      local.set $s
      local.get $n
      i32.const -64
      i32.add
      local.tee $n
      i32.const 31
      i32.gt_u
      br_if 0
    end
    local.get $sum)
  ;; spin: ++mem[0] until the fuel runs out
  (func (export "spin")
    loop
      i32.const 0
      i32.const 0
      i32.load
      i32.const 1
      i32.add
      i32.store
      br 0
    end))

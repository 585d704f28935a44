;; JitLaneLoads.*: the de-interleave clang-19 -msimd128 writes for RGB pixels
;; (bench/simd/image_nchw.c): each lane's address is a lane of a vector
;; induction variable times 3, and four byte lanes are loaded one by one. The
;; compiler turns those lanes into scalar recurrences (src/jit/lane_inductions.cpp)
;; and, where no load can fault, a group's byte loads into wide loads
;; (src/jit/fault_free_loops.cpp).
(module
  (memory (export "memory") 1)
  ;; deinterleave(d, s, n): for n groups j of four pixels (n > 0), the three
  ;; channels' bytes as u32x4 at d + 48j, d + 48j + 16, d + 48j + 32.
  (func (export "deinterleave") (param $d i32) (param $s i32) (param $n i32)
    (local $v v128) (local $m v128) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    v128.const i32x4 0 1 2 3
    local.set $v
    loop
      ;; the pixels' offsets: lanes of v * 3, v = <4j, 4j + 1, 4j + 2, 4j + 3>
      local.get $v
      v128.const i32x4 3 3 3 3
      i32x4.mul
      local.set $m
      local.get $m
      i32x4.extract_lane 0
      local.get $s
      i32.add
      local.set $a0
      local.get $m
      i32x4.extract_lane 1
      local.get $s
      i32.add
      local.set $a1
      local.get $m
      i32x4.extract_lane 2
      local.get $s
      i32.add
      local.set $a2
      local.get $m
      i32x4.extract_lane 3
      local.get $s
      i32.add
      local.set $a3
      ;; channel 0: the bytes at s + 3(4j + k) + 0, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=0
      v128.load8_lane offset=0 1
      v128.load8_lane offset=0 2
      v128.load8_lane offset=0 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=0
      ;; channel 1: the bytes at s + 3(4j + k) + 1, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=1
      v128.load8_lane offset=1 1
      v128.load8_lane offset=1 2
      v128.load8_lane offset=1 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=16
      ;; channel 2: the bytes at s + 3(4j + k) + 2, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=2
      v128.load8_lane offset=2 1
      v128.load8_lane offset=2 2
      v128.load8_lane offset=2 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=32
      local.get $d
      i32.const 48
      i32.add
      local.set $d
      local.get $v
      v128.const i32x4 4 4 4 4
      i32x4.add
      local.set $v
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if 0
    end)

  ;; deinterleave_poke: the same, and between channel 0 and channel 1 a store
  ;; of one more than s[12j] to s[12j + 7], a byte channel 1 then loads (from
  ;; the loads' own group: its loads may not move above it).
  (func (export "deinterleave_poke") (param $d i32) (param $s i32) (param $n i32)
    (local $v v128) (local $m v128) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    v128.const i32x4 0 1 2 3
    local.set $v
    loop
      ;; the pixels' offsets: lanes of v * 3, v = <4j, 4j + 1, 4j + 2, 4j + 3>
      local.get $v
      v128.const i32x4 3 3 3 3
      i32x4.mul
      local.set $m
      local.get $m
      i32x4.extract_lane 0
      local.get $s
      i32.add
      local.set $a0
      local.get $m
      i32x4.extract_lane 1
      local.get $s
      i32.add
      local.set $a1
      local.get $m
      i32x4.extract_lane 2
      local.get $s
      i32.add
      local.set $a2
      local.get $m
      i32x4.extract_lane 3
      local.get $s
      i32.add
      local.set $a3
      ;; channel 0: the bytes at s + 3(4j + k) + 0, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=0
      v128.load8_lane offset=0 1
      v128.load8_lane offset=0 2
      v128.load8_lane offset=0 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=0
      ;; a byte the next channel reads, written between its loads and the others
      local.get $a0
      local.get $a0
      i32.load8_u offset=0
      i32.const 1
      i32.add
      i32.store8 offset=7
      ;; channel 1: the bytes at s + 3(4j + k) + 1, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=1
      v128.load8_lane offset=1 1
      v128.load8_lane offset=1 2
      v128.load8_lane offset=1 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=16
      ;; channel 2: the bytes at s + 3(4j + k) + 2, k = 0..3, widened to u32 lanes
      local.get $d
      local.get $a3
      local.get $a2
      local.get $a1
      local.get $a0
      v128.load8_splat offset=2
      v128.load8_lane offset=2 1
      v128.load8_lane offset=2 2
      v128.load8_lane offset=2 3
      i16x8.extend_low_i8x16_u
      i32x4.extend_low_i16x8_u
      v128.store offset=32
      local.get $d
      i32.const 48
      i32.add
      local.set $d
      local.get $v
      v128.const i32x4 4 4 4 4
      i32x4.add
      local.set $v
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if 0
    end)

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

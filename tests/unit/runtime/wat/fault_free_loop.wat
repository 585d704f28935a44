;; JitFaultFree.*: counted loops whose accesses the compiler may make plain
;; when the preheader shows them inside the memory and the storing groups
;; apart from the others (src/jit/fault_free_loops.cpp), and a loop that
;; keeps its charges.
(module
  (memory (export "memory") 1)
  ;; copy(d, s, n): mem8[d + i] = mem8[s + i] for i = 0 .. n - 1, eight bytes
  ;; a trip as clang unrolls a byte loop (n a multiple of 8). With d = s + 1 the
  ;; copy smears mem8[s] forward, as only byte-by-byte order gives.
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    loop
      local.get $d
      local.get $s
      i32.load8_u offset=0
      i32.store8 offset=0
      local.get $d
      local.get $s
      i32.load8_u offset=1
      i32.store8 offset=1
      local.get $d
      local.get $s
      i32.load8_u offset=2
      i32.store8 offset=2
      local.get $d
      local.get $s
      i32.load8_u offset=3
      i32.store8 offset=3
      local.get $d
      local.get $s
      i32.load8_u offset=4
      i32.store8 offset=4
      local.get $d
      local.get $s
      i32.load8_u offset=5
      i32.store8 offset=5
      local.get $d
      local.get $s
      i32.load8_u offset=6
      i32.store8 offset=6
      local.get $d
      local.get $s
      i32.load8_u offset=7
      i32.store8 offset=7
      local.get $d
      i32.const 8
      i32.add
      local.set $d
      local.get $s
      i32.const 8
      i32.add
      local.set $s
      local.get $i
      i32.const 8
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; sum_down(p, n): the sum of mem8[p], mem8[p - 1], ... n bytes (below 0 the
  ;; address wraps and faults); also doubles mem8[p - k] in place.
  (func (export "sum_down") (param $p i32) (param $n i32) (result i32)
    (local $sum i32) (local $i i32)
    loop
      local.get $p
      local.get $p
      i32.load8_u
      local.tee $i
      i32.const 1
      i32.shl
      i32.store8
      local.get $sum
      local.get $i
      i32.add
      local.set $sum
      local.get $p
      i32.const -1
      i32.add
      local.set $p
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if 0
    end
    local.get $sum)
;; merge_copy(d, s, n): musl's memcpy for a source one byte ahead of an
  ;; aligned destination, as clang compiles it: each word stored merges two
  ;; loaded ones, every address an i32 sum of its own (d + i, s + i + 4, ...);
  ;; `n -= 8` while `n > 8` (never wraps past 0: 8 >= 8 - 1).
  (func (export "merge_copy") (param $d i32) (param $s i32) (param $n i32)
    (local $w i32) (local $x i32) (local $i i32) (local $p i32) (local $q i32)
    local.get $s
    i32.load
    local.set $w
    loop
      local.get $d
      local.get $i
      i32.add
      local.tee $p
      local.get $s
      local.get $i
      i32.add
      local.tee $q
      i32.const 4
      i32.add
      i32.load
      local.tee $x
      i32.const 8
      i32.shl
      local.get $w
      i32.const 24
      i32.shr_u
      i32.or
      i32.store
      local.get $p
      i32.const 4
      i32.add
      local.get $q
      i32.const 8
      i32.add
      i32.load
      local.tee $w
      i32.const 8
      i32.shl
      local.get $x
      i32.const 24
      i32.shr_u
      i32.or
      i32.store
      local.get $i
      i32.const 8
      i32.add
      local.set $i
      local.get $n
      i32.const -8
      i32.add
      local.tee $n
      i32.const 8
      i32.gt_u
      br_if 0
    end)
  ;; words(d, s, n): clang's unrolled word copy, `n -= 16` while `n >= 8`:
  ;; n = 16k + 8 steps past 0 to 2^32 - 8 and goes on until an access faults.
  (func (export "words") (param $d i32) (param $s i32) (param $n i32)
    loop
      local.get $d
      local.get $s
      i64.load
      i64.store
      local.get $d
      local.get $s
      i64.load offset=8
      i64.store offset=8
      local.get $d
      i32.const 16
      i32.add
      local.set $d
      local.get $s
      i32.const 16
      i32.add
      local.set $s
      local.get $n
      i32.const -16
      i32.add
      local.tee $n
      i32.const 8
      i32.ge_u
      br_if 0
    end)
;; scan(p, v): the first i >= p with mem8[i] == v, a loop that exits on
  ;; loaded data (no count: it keeps its charges); v > 255 walks off the end.
  (func (export "scan") (param $p i32) (param $v i32) (result i32)
    block
      loop
        local.get $p
        i32.load8_u
        local.get $v
        i32.eq
        br_if 1
        local.get $p
        i32.const 1
        i32.add
        local.set $p
        br 0
      end
    end
    local.get $p)
;; mark(p, step, n): mem8[p + k * step] = 1 for k = 0 .. n - 1, a step
  ;; fixed in the loop but not known (the sieve's `j += i`); negative steps
  ;; walk down, and an address that wraps past 0 or 2^32 faults.
  (func (export "mark") (param $p i32) (param $step i32) (param $n i32)
    (local $k i32)
    loop
      local.get $p
      i32.const 1
      i32.store8
      local.get $p
      local.get $step
      i32.add
      local.set $p
      local.get $k
      i32.const 1
      i32.add
      local.tee $k
      local.get $n
      i32.ne
      br_if 0
    end)
;; sieve(j, step, n): mem8[j] = 1 while j <= n, j += step: the sieve's
  ;; inner loop, counted by its rising exit (src/jit/loop_counts.h).
  (func (export "sieve") (param $j i32) (param $step i32) (param $n i32)
    loop
      local.get $j
      i32.const 1
      i32.store8
      local.get $j
      local.get $step
      i32.add
      local.tee $j
      local.get $n
      i32.le_u
      br_if 0
    end)
  ;; count_up(j, step, n): the trips of `j += step` while j < n, touching no
  ;; memory; a j that wraps past 2^32 comes round again (then only the fuel
  ;; ends it).
  (func (export "count_up") (param $j i32) (param $step i32) (param $n i32) (result i32)
    (local $trips i32)
    loop
      local.get $trips
      i32.const 1
      i32.add
      local.set $trips
      local.get $j
      local.get $step
      i32.add
      local.tee $j
      local.get $n
      i32.lt_u
      br_if 0
    end
    local.get $trips)
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

;; JitTier.*CountedLoop*: a loop whose trip count LLVM computes before it
;; starts, so the compiler tier gives it a copy without budget checks
;; (src/jit/charged_loops.cpp), entered when the budget covers every trip.
(module
  (memory (export "memory") 1)
  ;; fill(n, at, d): mem32[at + 4 i] = i + 1 for i in 0 .. n-1, and a
  ;; division by d - i (by zero when i = d)
  (func (export "fill") (param $n i32) (param $at i32) (param $d i32)
    (local $i i32)
    block
      local.get $n
      i32.eqz
      br_if 0
      loop
        local.get $at
        local.get $i
        i32.const 2
        i32.shl
        i32.add
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        i32.store
        i32.const 7
        local.get $d
        local.get $i
        i32.const 1
        i32.sub
        i32.sub
        i32.div_u
        drop
        local.get $i
        local.get $n
        i32.ne
        br_if 0
      end
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
    end)
  ;; count(n, d): sum of i + 7 / (d - i) for i in 0 .. n-1 (no memory)
  (func $count (export "count") (param $n i32) (param $d i32) (result i32)
    (local $i i32) (local $sum i32)
    block
      local.get $n
      i32.eqz
      br_if 0
      loop
        local.get $sum
        i32.const 7
        local.get $d
        local.get $i
        i32.sub
        i32.div_u
        i32.add
        local.get $i
        i32.add
        local.set $sum
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.ne
        br_if 0
      end
    end
    local.get $sum)
  ;; forever: count(500000, -1) again and again
  (func (export "forever")
    loop
      i32.const 500000
      i32.const -1
      call $count
      drop
      br 0
    end)
  ;; widen(n, x): the sum of i64.extend_i32_u(x + i) for i in 0 .. n-1
  ;; (x + i wraps past 2^32 when x is large)
  (func (export "widen") (param $n i32) (param $x i32) (result i64)
    (local $i i32) (local $sum i64)
    block
      local.get $n
      i32.eqz
      br_if 0
      loop
        local.get $sum
        local.get $x
        local.get $i
        i32.add
        i64.extend_i32_u
        i64.add
        local.set $sum
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.ne
        br_if 0
      end
    end
    local.get $sum)
  ;; down(n, at): the sum of mem32[at - 4 i] for i in 0 .. n-1 (below
  ;; address 0 the address wraps: out of bounds)
  (func (export "down") (param $n i32) (param $at i32) (result i32)
    (local $i i32) (local $sum i32)
    block
      local.get $n
      i32.eqz
      br_if 0
      loop
        local.get $sum
        local.get $at
        local.get $i
        i32.const 2
        i32.shl
        i32.sub
        i32.load
        i32.add
        local.set $sum
        local.get $i
        i32.const 1
        i32.add
        local.tee $i
        local.get $n
        i32.ne
        br_if 0
      end
    end
    local.get $sum))

;; On-stack replacement: $run is called once and its loop is what gets hot, so
;; its activation switches to compiled code at a back-edge, with a v128, an
;; i64 and an f64 on the operand stack below the loop and the loop's i32
;; parameter p. The loop traps (100 / (k - i)) when i == k.
(module
  (type $loop (func (param i32) (result i32)))
  (func $run (param $n i32) (param $k i32) (result i64) (local $i i32) (local $acc i64)
    v128.const i64x2 5 6
    i64.const 1000
    f64.const 2.5
    i32.const 7
    loop (type $loop)
      ;; acc = acc * 31 + i
      local.get $acc
      i64.const 31
      i64.mul
      local.get $i
      i64.extend_i32_u
      i64.add
      local.set $acc
      i32.const 100
      local.get $k
      local.get $i
      i32.sub
      i32.div_u
      drop
      ;; p ^= i
      local.get $i
      i32.xor
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if 0
    end
    ;; acc + p + 1000 + trunc(2.5) + lane 1 of the v128 (6)
    i64.extend_i32_u
    local.get $acc
    i64.add
    local.set $acc
    i64.trunc_f64_s
    i64.add
    local.get $acc
    i64.add
    local.set $acc
    i64x2.extract_lane 1
    local.get $acc
    i64.add)
  (func (export "run") (param i32 i32) (result i64)
    local.get 0
    local.get 1
    call $run))

;; Tiering: step(x, i, k) = (x * 31 + i) ^ (x >> 3), trapping (1 / (k - i))
;; when i == k; run(n, k) folds step over i = 0 .. n-1. The loop is in run:
;; run is what the sampler finds hot, and step switches at its next call,
;; inside run's loop.
(module
  (func $step (param i32 i32 i32) (result i32)
    local.get 1
    local.get 2
    i32.eq
    if
      i32.const 1
      local.get 2
      local.get 1
      i32.sub
      i32.div_u
      drop
    end
    local.get 0
    i32.const 31
    i32.mul
    local.get 1
    i32.add
    local.get 0
    i32.const 3
    i32.shr_u
    i32.xor)
  (func (export "run") (param $n i32) (param $k i32) (result i32) (local $i i32) (local $x i32)
    block
      loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        local.get $x
        local.get $i
        local.get $k
        call $step
        local.set $x
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $x))

;; JitVectorLoops.*: a guest's SIMD loop as clang-19 -msimd128 writes it, one
;; vector per iteration; the compiler tier unrolls its charge-free copy four
;; times (src/jit/vector_loops.cpp).
(module
  (memory (export "memory") 1)
  ;; axpy4(d, s, n, a): f32x4 d[i] = a * s[i] + d[i] for n vectors (n >= 1),
  ;; `a` given as its bits.
  (func (export "axpy4") (param $d i32) (param $s i32) (param $n i32) (param $a i32)
    (local $x v128)
    local.get $a
    f32.reinterpret_i32
    f32x4.splat
    local.set $x
    loop
      local.get $d
      local.get $x
      local.get $s
      v128.load align=4
      f32x4.mul
      local.get $d
      v128.load align=4
      f32x4.add
      v128.store align=4
      local.get $d
      i32.const 16
      i32.add
      local.set $d
      local.get $s
      i32.const 16
      i32.add
      local.set $s
      local.get $n
      i32.const -1
      i32.add
      local.tee $n
      br_if 0
    end))

;; JitFloatLoops.*: float loops the compiler tier vectorises (src/jit/
;; float_loops.cpp) and ones whose operations must stay scalar and strict (an
;; identity constant, a demote of a promote). Each walks n elements at byte
;; addresses d, s (and t), as clang's do-while loops do (n >= 1).
(module
  (memory (export "memory") 1)
  ;; axpy(d, s, n, a): f32 d[i] = a * s[i] + d[i], `a` given as its bits.
  (func (export "axpy") (param $d i32) (param $s i32) (param $n i32) (param $a i32)
    (local $i i32) (local $x f32)
    local.get $a
    f32.reinterpret_i32
    local.set $x
    loop
      local.get $d
      local.get $x
      local.get $s
      f32.load
      f32.mul
      local.get $d
      f32.load
      f32.add
      f32.store
      local.get $d
      i32.const 4
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; widen(d, s, n, a): f64 d[i] = promote(s[i]) / promote(a) - 0.5
  (func (export "widen") (param $d i32) (param $s i32) (param $n i32) (param $a i32)
    (local $i i32) (local $x f64)
    local.get $a
    f32.reinterpret_i32
    f64.promote_f32
    local.set $x
    loop
      local.get $d
      local.get $s
      f32.load
      f64.promote_f32
      local.get $x
      f64.div
      f64.const 0.5
      f64.sub
      f64.store
      local.get $d
      i32.const 8
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; narrow_back(d, s, n): f32 d[i] = demote(promote(s[i])), which must quiet
  ;; a signalling NaN: stays constrained.
  (func (export "narrow_back") (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    loop
      local.get $d
      local.get $s
      f32.load
      f64.promote_f32
      f32.demote_f64
      f32.store
      local.get $d
      i32.const 4
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; times_one(d, s, n): f32 d[i] = s[i] * 1.0 - 0.0 (both must quiet a
  ;; signalling NaN): stays constrained.
  (func (export "times_one") (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    loop
      local.get $d
      local.get $s
      f32.load
      f32.const 1
      f32.mul
      f32.const 0
      f32.sub
      f32.store
      local.get $d
      i32.const 4
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; convert(d, s, n): f32 d[i] = convert_s(s[i]) + sqrt(convert_u(s[i]))
  (func (export "convert") (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    loop
      local.get $d
      local.get $s
      i32.load
      f32.convert_i32_s
      local.get $s
      i32.load
      f32.convert_i32_u
      f32.sqrt
      f32.add
      f32.store
      local.get $d
      i32.const 4
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end)
  ;; lesser(d, s, n): f32 d[i] = s[i] < s[i + 1] ? s[i] : s[i + 1]
  (func (export "lesser") (param $d i32) (param $s i32) (param $n i32)
    (local $i i32)
    loop
      local.get $d
      local.get $s
      f32.load
      local.get $s
      f32.load offset=4
      local.get $s
      f32.load
      local.get $s
      f32.load offset=4
      f32.lt
      select
      f32.store
      local.get $d
      i32.const 4
      i32.add
      local.set $d
      local.get $s
      i32.const 4
      i32.add
      local.set $s
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end))

;; SimdExecution.FusedLoadArithmetic: f32x4.mul of a v128.load is one
;; instruction, its address computed, its result going straight to a local.
(module
  (memory 1)
  (func (export "f") (param i32) (result v128) (local v128)
    i32.const 32
    v128.const f32x4 1.5 2 -4 8
    v128.store
    v128.const f32x4 2 2 2 2
    local.get 0
    i32.const 16
    i32.add
    v128.load offset=16
    f32x4.mul
    local.set 1
    local.get 1
    i32.const 32
    v128.load
    f32x4.sub))

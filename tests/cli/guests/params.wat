;; Exports that return their parameters, for `wnn run --invoke`: each value
;; must reach the parameter it was written for.
(module
  (func (export "i32") (param i32) (result i32) local.get 0)
  (func (export "i64") (param i64) (result i64) local.get 0)
  (func (export "f32") (param f32) (result f32) local.get 0)
  (func (export "f64") (param f64) (result f64) local.get 0)
  (func (export "mixed") (param i32 f64 i64 f32) (result i32 f64 i64 f32)
    local.get 0 local.get 1 local.get 2 local.get 3)
  (func (export "f32_bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
  (func (export "f64_bits") (param f64) (result i64) local.get 0 i64.reinterpret_f64))

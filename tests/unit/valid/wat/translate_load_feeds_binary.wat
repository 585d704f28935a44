;; Translation.LoadFeedingABinaryOpIsFused.
(module
  (memory 1)
  ;; 0: the load is the first operand of a commutative op.
  (func (param i32 f32) (result f32)
    local.get 0 f32.load local.get 1 f32.mul)
  ;; 1: the load of a constant sum.
  (func (param i32 f32) (result f32)
    local.get 0 i32.const 16 i32.add f32.load offset=4 local.get 1 f32.mul)
  ;; 2: f32.sub is not commutative.
  (func (param i32 f32) (result f32)
    local.get 0 f32.load local.get 1 f32.sub))

;; Translation.BytesToNormalisedFloats.
(module
  (memory 1)
  ;; 0: u8 -> f32, then a division and a subtraction by constants.
  (func (param i32) (result f32)
    local.get 0 i32.load8_u f32.convert_i32_u
    f32.const 255 f32.div f32.const 0.5 f32.sub)
  ;; 1: 2 * (x + 1).
  (func (param f32) (result f32)
    f32.const 2 local.get 0 f32.const 1 f32.add f32.mul))

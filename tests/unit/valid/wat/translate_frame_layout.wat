;; Translation.FrameLayout: 2 params, 5 locals, an operand stack of at most 3.
(module
  (func (param i32 i64) (result f64) (local f32 f32 i32)
    local.get 0 i32.const 1 i32.const 2 i32.add i32.add drop
    f64.const 0))

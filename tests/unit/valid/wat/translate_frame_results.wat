;; Translation.FrameHoldsTheResults.
(module
  ;; 0: three results pushed by constants.
  (func (result i32 i32 i32)
    i32.const 1 i32.const 2 i32.const 3)
  ;; 1: results from unreachable code.
  (func (result i32 i64)
    unreachable))

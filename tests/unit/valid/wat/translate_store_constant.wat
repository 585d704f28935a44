;; Translation.StoringAConstantIsOneInstruction.
(module
  (memory 1)
  (func (param i32)
    local.get 0 i32.const 4 i32.add i32.const 7 i32.store8 offset=2))

;; Translation.MultiplyThenAddAConstantIsOneInstruction.
(module
  (func (param i32) (result i32)
    local.get 0 i32.const 5 i32.mul i32.const 7 i32.add local.set 0 local.get 0))

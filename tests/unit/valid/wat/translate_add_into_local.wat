;; Translation.AddIntoLocalIsOneInstruction.
(module
  (func (param i32 i32) (local i32)
    local.get 0 local.get 1 i32.add local.set 2))

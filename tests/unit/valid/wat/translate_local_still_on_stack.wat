;; Translation.NoPatchWhenTheLocalIsStillOnTheStack.
(module
  (func (param i32) (result i32) (local i32)
    local.get 0 i32.const 1 local.set 0))

;; Translation.CallArgumentsAreMaterialised.
(module
  (func (param i32 i32) (result i32)
    local.get 0)
  (func (param i32) (result i32)
    local.get 0 local.get 0 call 0))

;; Translation.LocalGetEmitsNothing.
(module
  (func (param i32)
    local.get 0 drop local.get 0 local.get 0 drop drop))

;; TypeErrors.UnknownIndices: local.get at 0.
(module
  (func (local i32 i32)
    local.get 5 drop))

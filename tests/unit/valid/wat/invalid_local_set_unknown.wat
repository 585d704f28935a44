;; TypeErrors.UnknownIndices: local.set at 2.
(module
  (func (param i32)
    i32.const 0 local.set 1))

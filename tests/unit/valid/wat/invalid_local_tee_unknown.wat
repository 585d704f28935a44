;; TypeErrors.UnknownIndices: local.tee at 2.
(module
  (func
    i32.const 0 local.tee 0 drop))

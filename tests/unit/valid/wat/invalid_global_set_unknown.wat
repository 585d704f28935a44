;; TypeErrors.UnknownIndices: global.set at 2.
(module
  (global (mut i32) (i32.const 0))
  (func
    i32.const 0 global.set 1))

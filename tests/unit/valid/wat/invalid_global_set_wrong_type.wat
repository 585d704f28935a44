;; TypeErrors.Globals: global.set at 2.
(module
  (global (mut i32) (i32.const 0))
  (func
    i64.const 1 global.set 0))

;; TypeErrors.Globals: global.set at 2.
(module
  (global i32 (i32.const 0))
  (func
    i32.const 1 global.set 0))

;; TypeErrors.Globals: an imported immutable global, global.set at 2.
(module
  (import "m" "g" (global i64))
  (func
    i64.const 1 global.set 0))

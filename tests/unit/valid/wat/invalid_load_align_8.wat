;; TypeErrors.Alignment: i32.load at 2.
(module
  (memory 1)
  (func
    i32.const 0 i32.load align=8 drop))

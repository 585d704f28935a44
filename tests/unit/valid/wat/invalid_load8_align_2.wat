;; TypeErrors.Alignment: i32.load8_u at 2.
(module
  (memory 1)
  (func
    i32.const 0 i32.load8_u align=2 drop))

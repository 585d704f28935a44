;; TypeErrors.Alignment: i32.store at 4.
(module
  (memory 1)
  (func
    i32.const 0 i32.const 0 i32.store align=8))

;; TypeErrors.Select: select at 6.
(module
  (func
    i32.const 1 i64.const 2 i32.const 1 select drop))

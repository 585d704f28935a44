;; TypeErrors.Select: select at 6.
(module
  (func
    i32.const 1 i32.const 1 i32.const 1 select (result i32 i32) drop))

;; TypeErrors.IfWithoutElse: end at 6.
(module
  (func
    i32.const 1 if (result i32) i32.const 2 end drop))

;; TypeErrors.WrongBlockResult: the else branch's end at 9.
(module
  (func
    i32.const 1 if (result i32) i32.const 1 else i64.const 1 end drop))

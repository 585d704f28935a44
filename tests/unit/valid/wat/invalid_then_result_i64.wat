;; TypeErrors.WrongBlockResult: the then branch's else at 6.
(module
  (func
    i32.const 1 if (result i32) i64.const 1 else i32.const 1 end drop))

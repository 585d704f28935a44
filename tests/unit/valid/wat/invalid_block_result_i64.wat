;; TypeErrors.WrongBlockResult: the block's end at 4.
(module
  (func
    block (result i32) i64.const 1 end drop))

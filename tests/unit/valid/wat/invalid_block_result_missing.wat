;; TypeErrors.WrongBlockResult: the block's end at 2.
(module
  (func
    block (result i32) end drop))

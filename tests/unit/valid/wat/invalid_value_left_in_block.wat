;; TypeErrors.ValuesLeftAtBlockEnd: the block's end at 4.
(module
  (func
    block i32.const 1 end))

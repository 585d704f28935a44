;; TypeErrors.ValuesLeftAtBlockEnd: the function's own end at 2.
(module
  (func
    i32.const 1))

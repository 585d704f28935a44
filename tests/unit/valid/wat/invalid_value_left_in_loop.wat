;; TypeErrors.ValuesLeftAtBlockEnd: the loop's end at 4.
(module
  (func
    loop i64.const 1 end))

;; ConstExpr.NonConstantInstruction: drop in a data segment offset.
(module
  (memory 1)
  (data (offset i32.const 0 drop)))

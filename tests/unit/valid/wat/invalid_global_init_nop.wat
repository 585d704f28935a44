;; ConstExpr.NonConstantInstruction: nop in a global initializer.
(module
  (global i32 nop (i32.const 2)))

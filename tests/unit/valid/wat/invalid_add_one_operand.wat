;; TypeErrors.EmptyStack: one operand present, the other missing (i32.add at 2).
(module
  (func
    i32.const 1 i32.add drop))

;; TypeErrors.UnreachableCodeIsPolymorphic: a known operand keeps its type; i32.add at 3.
(module
  (func
    unreachable i64.const 0 i32.add drop))

;; TypeErrors.UnreachableCodeIsPolymorphic: end at 3.
(module
  (func (result i32)
    unreachable i64.const 0))

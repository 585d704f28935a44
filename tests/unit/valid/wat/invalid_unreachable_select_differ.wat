;; TypeErrors.UnreachableCodeIsPolymorphic: select at 7.
(module
  (func
    unreachable i32.const 0 i64.const 0 i32.const 1 select drop))

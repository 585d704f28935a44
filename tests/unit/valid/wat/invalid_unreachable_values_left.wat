;; TypeErrors.UnreachableCodeIsPolymorphic: values pushed after unreachable still count; end at 3.
(module
  (func
    unreachable i64.const 0))

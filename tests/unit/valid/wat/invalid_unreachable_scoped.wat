;; TypeErrors.UnreachableCodeIsPolymorphic: unreachable in a block leaves the enclosing code typed; i32.add at 4.
(module
  (func
    block unreachable end i32.add drop))

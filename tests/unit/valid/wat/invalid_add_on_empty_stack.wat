;; TypeErrors.EmptyStack: i32.add at body offset 0.
(module
  (func
    i32.add drop))

;; Limits.MultipleMemories: one imported, one defined.
(module
  (import "env" "m0" (memory 1))
  (memory 1))

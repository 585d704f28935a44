;; Limits.MultipleMemories: two defined.
(module
  (memory 1)
  (memory 1))

;; Module.StartFunction: () -> (i64).
(module
  (func (result i64) i64.const 0)
  (start 0))

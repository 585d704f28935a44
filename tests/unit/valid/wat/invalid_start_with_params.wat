;; Module.StartFunction: (i32) -> ().
(module
  (func (param i32))
  (start 0))

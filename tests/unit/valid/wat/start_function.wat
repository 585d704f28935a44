;; A start function of type () -> () (Module.StartFunction).
(module
  (func)
  (start 0))

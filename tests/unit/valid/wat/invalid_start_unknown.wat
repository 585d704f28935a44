;; Module.StartFunction: unknown function 3.
(module
  (start 3))

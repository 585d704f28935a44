;; Module.UnknownExports: function 0.
(module
  (export "f" (func 0)))

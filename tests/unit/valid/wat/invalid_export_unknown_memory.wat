;; Module.UnknownExports: memory 0.
(module
  (export "m" (memory 0)))

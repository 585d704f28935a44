;; Module.UnknownExports: table 0.
(module
  (export "t" (table 0)))

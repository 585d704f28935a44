;; Module.UnknownExports: global 1.
(module
  (global i32 (i32.const 1))
  (export "g" (global 1)))

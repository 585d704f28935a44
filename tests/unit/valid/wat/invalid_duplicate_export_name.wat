;; Module.DuplicateExportNames.
(module
  (func (export "x"))
  (memory (export "x") 1))

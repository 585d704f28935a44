;; Limits.MemoryAndTableSizes: a memory of 5 pages.
(module
  (memory 5)
  (func (export "f") (result i32)
    (i32.const 0)))

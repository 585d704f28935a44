;; Limits.MemoryAndTableSizes: memory.grow by local 0 pages.
(module
  (memory 1)
  (func (export "f") (param i32) (result i32)
    (memory.grow (local.get 0))))

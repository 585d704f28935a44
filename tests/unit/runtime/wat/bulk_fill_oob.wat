;; Fuel.OutOfBoundsBulkOpsTrapAsOutOfBounds: a fill of local 0 elements of a
;; 1-page memory or a 10-element table, then 7.
(module
  (table 10 funcref)
  (memory 1)
  (func (export "memory") (param i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 0) (local.get 0))
    (i32.const 7))
  (func (export "table") (param i32) (result i32)
    (table.fill 0 (i32.const 0) (ref.null func) (local.get 0))
    (i32.const 7)))

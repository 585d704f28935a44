;; Module.ElemSegmentTableTypes: table.init of a funcref segment into an externref table.
(module
  (table 1 externref)
  (func
    i32.const 0 i32.const 0 i32.const 0 table.init 0 0)
  (elem func 0))

;; Module.ElemSegmentTableTypes: an active funcref segment for an externref table.
(module
  (table 1 externref)
  (func)
  (elem (i32.const 0) func 0))

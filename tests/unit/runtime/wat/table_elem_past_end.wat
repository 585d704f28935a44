;; EndToEnd.CallIndirectAcrossInstances: an element segment that does not
;; fit M1's table.
(module
  (import "M1" "tab" (table 2 funcref))
  (func $nine (result i32)
    i32.const 9)
  (elem (i32.const 2) $nine))

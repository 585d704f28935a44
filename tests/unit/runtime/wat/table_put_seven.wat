;; EndToEnd.CallIndirectAcrossInstances: M2 puts a () -> i32 function
;; returning 7 at index 1 of M1's table.
(module
  (import "M1" "tab" (table 2 funcref))
  (func $seven (result i32)
    i32.const 7)
  (elem (i32.const 1) $seven))

;; EndToEnd.CallIndirectAcrossInstances: M3 puts a () -> i64 function at
;; index 0: the wrong type for the call.
(module
  (import "M1" "tab" (table 2 funcref))
  (func $seven (result i64)
    i64.const 7)
  (elem (i32.const 0) $seven))

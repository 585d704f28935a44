;; TypeErrors.BrTable: targets of different arities, br_table at 8.
(module
  (func
    block (result i32) block i32.const 0 i32.const 0 br_table 0 1 end i32.const 0 end drop))

;; TypeErrors.BrTable: same arity, different types, br_table at 8.
(module
  (func
    block (result i64) block (result i32) i32.const 0 i32.const 0 br_table 0 1 end drop i64.const 0 end drop))

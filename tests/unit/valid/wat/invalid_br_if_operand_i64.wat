;; TypeErrors.BranchOperands: br_if at 6.
(module
  (func
    block (result i32) i64.const 1 i32.const 1 br_if 0 drop i32.const 0 end drop))

;; TypeErrors.BranchOperands: br at 4.
(module
  (func (result i32)
    block (result i32) i64.const 1 br 0 end))

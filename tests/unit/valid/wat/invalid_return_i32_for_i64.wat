;; TypeErrors.BranchOperands: return at 2.
(module
  (func (result i64)
    i32.const 0 return))

;; TypeErrors.BranchOperands: br at 0.
(module
  (func (result i32)
    br 0))

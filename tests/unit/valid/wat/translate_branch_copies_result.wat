;; Translation.BranchCopiesIntoTheBlockResultSlot.
(module
  (func (param i32) (result i32)
    block (result i32) local.get 0 br 0 end))

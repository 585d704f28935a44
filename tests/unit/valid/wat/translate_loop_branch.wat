;; Translation.LoopBranchGoesBackToTheStart.
(module
  (func (param i32)
    loop local.get 0 br_if 0 end))

;; Translation.EqzFoldsIntoComparisonsAndBranches.
(module
  ;; 0: one compare-and-branch with 0.
  (func (param i64)
    block local.get 0 i64.eqz br_if 0 end)
  ;; 1: branch on >=.
  (func (param i32 i32)
    block local.get 0 local.get 1 i32.lt_u i32.eqz br_if 0 end))

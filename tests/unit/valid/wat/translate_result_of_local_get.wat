;; Translation.ResultOfLocalGetIsCopiedToResultSlot.
(module
  ;; 0: the copy fp[0] <- fp[0] is elided.
  (func (param i32) (result i32)
    local.get 0)
  ;; 1: one copy fp[0] <- fp[1].
  (func (param i32 i32) (result i32)
    local.get 1))

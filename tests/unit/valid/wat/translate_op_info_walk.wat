;; Translation.OpInfoWalksTheCodeToItsEnd.
(module
  (func (param i32)
    block block local.get 0 br_table 0 1 end end
    loop local.get 0 br_if 0 end))

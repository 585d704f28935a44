;; Translation.ScaledIndexFoldsIntoTheLoad: one load of u32(l0 + (l1 << 2) + 64) + 8.
(module
  (memory 1)
  (func (param i32 i32) (result i32)
    local.get 0 i32.const 64 i32.add local.get 1 i32.const 2 i32.shl i32.add
    i32.load offset=8))

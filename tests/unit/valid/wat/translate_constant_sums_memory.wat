;; Translation.ConstantSumsFoldIntoLoadsAndStores.
(module
  (memory 1)
  (func (param i32 i32) (result i32)
    local.get 0 i32.const 16 i32.add i32.const 4 i32.sub   ;; x + 12, lazily
    local.get 0 i32.const 8 i32.add i32.load offset=4
    local.get 1 i32.add                                    ;; load + y
    i32.store offset=2
    local.get 0 i32.const 64 i32.add))

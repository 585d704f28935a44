;; SimdExecution.LoadStoreAndTrap.
(module
  (memory 1)
  (func (export "f") (param i32) (result v128)
    local.get 0
    v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    v128.store offset=16
    local.get 0
    v128.load offset=16))

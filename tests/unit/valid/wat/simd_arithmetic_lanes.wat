;; SimdExecution.ArithmeticIntoLocalAndLanes: the sum is written straight
;; into local 2, then a lane of it and its bytes reversed.
(module
  (func (export "f") (param v128 v128) (result i32 v128) (local v128)
    local.get 0
    local.get 1
    i32x4.add
    local.set 2
    local.get 2
    i32x4.extract_lane 3
    local.get 2
    local.get 2
    i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0))

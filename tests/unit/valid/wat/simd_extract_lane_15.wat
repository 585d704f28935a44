;; i8x16.extract_lane_s 15: the last lane (SimdValidation.LaneIndexOutOfRange).
(module
  (func (export "f") (result i32)
    v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i8x16.extract_lane_s 15))

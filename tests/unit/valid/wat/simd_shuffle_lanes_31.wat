;; i8x16.shuffle with lanes 31 down to 16: 31 is the last lane of two vectors.
(module
  (func (export "f") (result v128)
    v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16))

;; v128.load with its natural alignment, 2^4 (SimdValidation.Alignment).
(module
  (memory 1)
  (func (export "f") (result v128)
    i32.const 0
    v128.load align=16))

;; TypeErrors.IfWithoutElse: [i32] -> [i64] without else, end at 7.
(module
  (func
    i32.const 5 i32.const 1 if (param i32) (result i64) i64.extend_i32_u end drop))

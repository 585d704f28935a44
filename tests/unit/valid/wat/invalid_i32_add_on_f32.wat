;; TypeErrors.I32AddOnF32Operands: i32.add at body offset 10.
(module
  (func
    f32.const 1 f32.const 1 i32.add drop))

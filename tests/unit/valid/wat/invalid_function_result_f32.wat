;; TypeErrors.WrongBlockResult: the function's end at 5.
(module
  (func (result f64)
    f32.const 0))

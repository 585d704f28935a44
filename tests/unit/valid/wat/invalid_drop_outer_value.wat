;; TypeErrors.EmptyStack: values outside a block are not visible inside it (drop at 4).
(module
  (func
    i32.const 1 block drop end drop))

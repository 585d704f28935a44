;; TypeErrors.Select: select at 6.
(module
  (func
    ref.null extern ref.null func i32.const 1 select (result funcref) drop))

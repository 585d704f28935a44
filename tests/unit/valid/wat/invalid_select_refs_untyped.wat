;; TypeErrors.Select: select at 6.
(module
  (func
    ref.null func ref.null func i32.const 1 select drop))

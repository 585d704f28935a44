;; TypeErrors.RefFunc: ref.func at 0.
(module
  (func
    ref.func 0 drop))

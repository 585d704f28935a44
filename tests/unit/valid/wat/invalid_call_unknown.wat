;; TypeErrors.UnknownIndices: call at 0.
(module
  (func
    call 3))

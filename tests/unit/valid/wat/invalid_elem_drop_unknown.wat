;; TypeErrors.UnknownIndices: elem.drop at 0.
(module
  (func
    elem.drop 0))

;; TypeErrors.UnknownLabel: br at 2.
(module
  (func
    block br 2 end))

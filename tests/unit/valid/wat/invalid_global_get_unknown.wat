;; TypeErrors.UnknownIndices: global.get at 0.
(module
  (func
    global.get 0 drop))

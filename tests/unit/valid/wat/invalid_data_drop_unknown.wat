;; TypeErrors.DataCountSection: data.drop of segment 1 of 1, at body offset 0.
(module
  (memory 1)
  (func
    data.drop 1)
  (data ""))

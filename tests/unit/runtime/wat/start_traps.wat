;; EndToEnd.StartTrapIsTrapError.
(module
  (func $start
    unreachable)
  (start $start))

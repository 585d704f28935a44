;; EndToEnd.StartCallsHostImport.
(module
  (import "env" "log" (func $log (param i32)))
  (func $start
    i32.const 42
    call $log)
  (start $start))

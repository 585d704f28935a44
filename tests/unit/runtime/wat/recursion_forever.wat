;; EndToEnd.StackExhaustionThenStoreStillWorks: call 0, forever.
(module
  (func $rec (export "rec")
    call $rec))

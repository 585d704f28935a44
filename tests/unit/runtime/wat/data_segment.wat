;; InstantiateInterrupt.PendingRequestStopsSegmentInitialisation.
(module
  (memory 1)
  (data (i32.const 0) "\2a"))

;; Translation.ValueAlreadyInTheResultSlotNeedsNoCopy.
(module
  (func (result i32)
    block (result i32) i32.const 7 br 0 end))

;; JitTier.InstanceStateIsBackAfterANestedTrap: the other instance, whose
;; compiled code traps inside the caller's host function.
(module
  (global i32 (i32.const 222))
  (func (export "boom") unreachable))

;; JitTier.InstanceStateIsBackAfterANestedTrap: after the host function
;; (which runs nested_trap_other's "boom" and sees it trap), the caller must
;; read its own global (111, not the other's 222) and name its own functions.
(module
  (import "env" "host" (func $host))
  (global $g (mut i32) (i32.const 111))
  (func $read (result i32) global.get $g)                 ;; function 1
  (func $fail unreachable)                                ;; function 2
  (func (export "run") (result i32) call $host call $read)
  (func (export "trap") call $host call $fail))           ;; function 4

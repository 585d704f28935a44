;; JitTier.FuelAfterAFaultInACalleeIsExact.
(module
  (memory (export "memory") 1)
  ;; h: an i32.load at 65536 faults
  (func $h (result i32)
    i32.const 65536
    i32.load)
  ;; g(n): n iterations of a loop, then h
  (func (export "g") (param i32) (result i32)
    loop
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if 0
    end
    call $h)
  ;; spin: ++mem[0] until the fuel runs out
  (func (export "spin")
    loop
      i32.const 0
      i32.const 0
      i32.load
      i32.const 1
      i32.add
      i32.store
      br 0
    end))

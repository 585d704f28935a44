;; JitTier.TrapsAfterReturnedCallsHaveTheInterpretersBacktrace: a compiled
;; caller leaves Thread::frames_top at its callee's after a call (no pop)
;; until something may look: each export traps right after calls returned.
(module
  (type $i2i (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 1 funcref)
  (elem (i32.const 0) $load)
  ;; $leaf never reads its frame: no push
  (func $leaf (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add)
  ;; $load reads memory at its argument
  (func $load (param i32) (result i32)
    local.get 0
    i32.load)
  ;; $mid: a chain two frames deep that returns
  (func $mid (param i32) (result i32)
    local.get 0
    call $load
    local.get 0
    call $leaf
    i32.add)
  ;; a fault in the caller after the chain
  (func (export "fault") (param i32) (result i32)
    local.get 0
    call $mid
    local.get 0
    call $leaf
    i32.const 70000
    i32.load
    i32.add
    i32.add)
  ;; an explicit trap after it: mid(x) / (leaf(x) - 1), x = 0
  (func (export "divide") (param i32) (result i32)
    local.get 0
    call $mid
    local.get 0
    call $leaf
    i32.const 1
    i32.sub
    i32.div_u)
  ;; a fault in a callee reached through a stub (call_indirect) after it
  (func (export "indirect") (param i32) (result i32)
    local.get 0
    call $mid
    i32.const 70000
    i32.const 0
    call_indirect (type $i2i)
    i32.add)
  ;; recursion that runs the chain at every level until the depth limit
  (func $deep (export "deep") (param i32) (result i32)
    local.get 0
    call $mid
    drop
    local.get 0
    i32.const 4
    i32.add
    call $deep)
  ;; spin_calls: ++mem[4] and a call of $leaf in a loop until the fuel runs out
  (func (export "spin_calls")
    loop
      i32.const 4
      i32.const 4
      i32.load
      call $leaf
      i32.store
      br 0
    end))

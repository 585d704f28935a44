;; Fuel.BulkMemoryIsChargedByLength: 4 MiB fills counted in a global until
;; the fuel runs out.
(module
  (memory 64 64)
  (global (export "count") (mut i32) (i32.const 0))
  (func (export "f") (param i32) (result i32)
    (loop
      (global.set 0 (i32.add (global.get 0) (i32.const 1)))
      (memory.fill (i32.const 0) (i32.const 1) (i32.const 4194304))
      (br 0))
    unreachable))

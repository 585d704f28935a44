;; Execution.LoopSum: n + (n-1) + ... + 1.
(module
  (func (export "f") (param $n i32) (result i32) (local $acc i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br 0)))
    (local.get $acc)))

;; Guests that never finish on their own: for --timeout, --fuel and
;; --max-call-depth.
(module
  (func $spin (export "spin") (loop (br 0)))
  (func $deep (export "deep") (param i32) (result i32) (call $deep (local.get 0)))
  (memory 2)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "count") (param $n i32) (result i32)
    (loop (br_if 0 (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.const 42)))

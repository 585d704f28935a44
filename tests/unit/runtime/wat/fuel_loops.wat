;; limits_test: loops for the fuel and interrupt tests, (param i32) (result i32).
(module
  ;; counts local 0 down to zero
  (func (export "count_down") (param i32) (result i32)
    (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 0))
  ;; forever
  (func (export "forever") (param i32) (result i32)
    (loop (br 0))
    unreachable)
  ;; forever through br_table
  (func (export "forever_table") (param i32) (result i32)
    (loop (br_table 0 0 (local.get 0)))
    unreachable)
  ;; forever with a compare-and-branch
  (func (export "forever_compare") (param i32) (result i32)
    (loop (br_if 0 (i32.lt_u (local.get 0) (i32.const 10))))
    (i32.const 0))
  ;; infinite recursion: would hit the call-depth limit
  (func $recurse (export "recurse") (param i32) (result i32)
    (call $recurse (local.get 0))))

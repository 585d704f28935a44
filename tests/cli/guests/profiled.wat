;; `wnn run --profile=perfmap`'s guest (perf_map_test.cpp), assembled with
;; its name section (wat2wasm --debug-names): `run` calls the recursive `fib`
;; (a call LLVM cannot inline away) and `evil_name_0123456789`, whose name the
;; test rewrites to hold line breaks; the last function has no name.
(module
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $evil_name_0123456789 (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 3)))
  (func (param i32) (result i32)
    (i32.add (local.get 0) (i32.const 1)))
  (func $run (export "run") (result i32)
    (call 2 (call $evil_name_0123456789 (call $fib (i32.const 20))))))

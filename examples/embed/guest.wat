;; The guest of examples/embed: it imports one host function and traps on
;; demand. Built with wat2wasm --debug-names, so traps name its functions.
(module
  (import "env" "scale" (func $scale (param i32 f64) (result f64)))
  ;; sum of scale(i, x) for i in [0, n)
  (func $sum_scaled (export "sum_scaled") (param $n i32) (param $x f64) (result f64)
    (local $i i32) (local $acc f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $acc (f64.add (local.get $acc) (call $scale (local.get $i) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  (func $divide (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $ratio (export "ratio") (param $a i32) (param $b i32) (result i32)
    (call $divide (local.get $a) (local.get $b))))

;; Tiering: fill(p, n) stores n bytes from p in its loop; run(n) sums
;; i * 7 over i = 0 .. n-1 in its own loop, then calls fill(0, 1) once and
;; adds byte 0. Calling fill first with a long n publishes fill's loop entry;
;; run's loop entry, hot next, calls fill directly.
(module
  (memory 1)
  (func $fill (export "fill") (param $p i32) (param $n i32)
    block
      loop
        local.get $n
        i32.eqz
        br_if 1
        local.get $p
        local.get $n
        i32.store8
        local.get $p
        i32.const 1
        i32.add
        i32.const 65535
        i32.and
        local.set $p
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br 0
      end
    end)
  (func (export "run") (param $n i32) (result i32) (local $i i32) (local $x i32)
    block
      loop
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1
        local.get $x
        local.get $i
        i32.const 7
        i32.mul
        i32.add
        local.set $x
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    i32.const 0
    i32.const 1
    call $fill
    local.get $x
    i32.const 0
    i32.load8_u
    i32.add))

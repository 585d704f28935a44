;; JitTier.ABaseCaseReturnsWithoutStoringItsFrame: fib(n) as clang emits it
;; (one recursive call in a loop; n < 2 returns at once).
(module
  (func $fib (export "fib") (param i32) (result i32)
    (local i32)
    block
      local.get 0
      i32.const 2
      i32.lt_u
      br_if 0
      loop
        local.get 0
        i32.const -1
        i32.add
        call $fib
        local.get 1
        i32.add
        local.set 1
        local.get 0
        i32.const -2
        i32.add
        local.tee 0
        i32.const 1
        i32.gt_u
        br_if 0
      end
    end
    local.get 0
    local.get 1
    i32.add))

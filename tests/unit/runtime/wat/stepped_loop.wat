;; JitTier.SteppedLoop*: a loop stepping by 2 until i == n, as clang's loops
;; unrolled by 2 exit. LLVM finds no trip count for it (n - i may be odd: then
;; i wraps past n and the loop runs until the fuel or an interruption ends
;; it); the compiler tier's copy without budget checks (src/jit/
;; charged_loops.cpp) may run only when 2 divides n - i.
(module
  (memory (export "memory") 1)
  ;; walk(i, n): mem32[i & 1020] = i + 1, then i += 2, until i == n
  (func (export "walk") (param $i i32) (param $n i32)
    loop
      local.get $i
      i32.const 1020
      i32.and
      local.get $i
      i32.const 1
      i32.add
      i32.store
      local.get $i
      i32.const 2
      i32.add
      local.tee $i
      local.get $n
      i32.ne
      br_if 0
    end))

;; JitTier.DeepRecursionTrapsLikeTheInterpreter: f(x) = f(x + 1).
(module
  (func $f (export "f") (param i32) (result i32)
    local.get 0
    i32.const 1
    i32.add
    call $f))

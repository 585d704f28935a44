;; Messages.FunctionIndexCountsImports: function 3 (two imports before it), i32.sub at body offset 7.
(module
  (import "m" "a" (func))
  (import "m" "b" (func))
  (func)
  (func
    i32.const 0 f32.const 0 i32.sub drop))

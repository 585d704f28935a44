;; Translation.DeadCodeEmitsNothing.
(module
  (func
    unreachable i32.const 1 i32.const 2 i32.add drop block nop end))

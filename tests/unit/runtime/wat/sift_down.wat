;; JitTier.ASelectInALoopStaysBranchFree: heapsort's sift-down as clang
;; compiles it to wasm32 (bench/kernels/sort.c): the larger child picked by a
;; `select` on two loaded values, which on random data no branch predictor
;; can guess. The heap: u32s at 1024.
(module
  (memory (export "memory") 1)
  ;; sift(root, n)
  (func (export "sift") (param $root i32) (param $n i32)
    (local $child i32) (local $twice i32) (local $at i32) (local $v i32)
    block
      local.get $root
      i32.const 1
      i32.shl
      local.tee $twice
      i32.const 1
      i32.or
      local.tee $child
      local.get $n
      i32.ge_u
      br_if 0
      loop
        block
          block
            local.get $twice
            i32.const 2
            i32.add
            local.tee $twice
            local.get $n
            i32.lt_u
            br_if 0
            br 1
          end
          local.get $twice
          local.get $child
          local.get $twice
          i32.const 2
          i32.shl
          i32.const 1024
          i32.add
          i32.load
          local.get $child
          i32.const 2
          i32.shl
          i32.const 1024
          i32.add
          i32.load
          i32.gt_u
          select
          local.set $child
        end
        local.get $root
        i32.const 2
        i32.shl
        i32.const 1024
        i32.add
        local.tee $at
        i32.load
        local.tee $root
        local.get $child
        i32.const 2
        i32.shl
        i32.const 1024
        i32.add
        local.tee $twice
        i32.load
        local.tee $v
        i32.ge_u
        br_if 1
        local.get $at
        local.get $v
        i32.store
        local.get $twice
        local.get $root
        i32.store
        local.get $child
        local.set $root
        local.get $child
        i32.const 1
        i32.shl
        local.tee $twice
        i32.const 1
        i32.or
        local.tee $child
        local.get $n
        i32.lt_u
        br_if 0
      end
    end))

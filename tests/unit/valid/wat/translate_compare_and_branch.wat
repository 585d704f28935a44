;; Translation.ConstantsBecomeImmediatesAndComparisonsFuseWithBranches.
(module
  ;; 0: one instruction.
  (func (param i32)
    loop local.get 0 i32.const 10 i32.lt_s br_if 0 end)
  ;; 1: the inverse comparison jumps past the then-branch.
  (func (param i32 i32)
    local.get 0 local.get 1 i32.eq if nop end)
  ;; 2: i32.eqz feeding br_if is br_unless.
  (func (param i32)
    block local.get 0 i32.eqz br_if 0 end)
  ;; 3: i32.eqz feeding if is a plain br_if.
  (func (param i32)
    local.get 0 i32.eqz if nop end)
  ;; 4: 10 > x is x < 10.
  (func (param i32) (result i32)
    i32.const 10 local.get 0 i32.gt_s)
  ;; 5: x + 2^32 is one instruction.
  (func (param i64) (result i64)
    local.get 0 i64.const 0x100000000 i64.add)
  ;; 6: an i64 comparison with 2^32 cannot fuse with br_if.
  (func (param i64)
    block local.get 0 i64.const 0x100000000 i64.eq br_if 0 end)
  ;; 7: division by a constant that cannot trap.
  (func (param i32) (result i32)
    local.get 0 i32.const 7 i32.div_s)
  ;; 8: division by -1 stays a trapping division.
  (func (param i32) (result i32)
    local.get 0 i32.const -1 i32.div_s))

;; JitSimd.LaneAccessPastTheEndTraps: v128.load32_lane 1 and v128.store64_lane 0
;; at an address, align 1.
(module
  (memory 1)
  (func (export "load") (param i32)
    local.get 0
    v128.const i64x2 0 0
    v128.load32_lane align=1 1
    drop)
  (func (export "store") (param i32)
    local.get 0
    v128.const i64x2 0 0
    v128.store64_lane align=1 0))

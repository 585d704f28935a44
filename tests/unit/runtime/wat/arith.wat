;; EndToEnd: (i32, i32) -> i32 add, (i64, f64) -> f64 mix.
(module
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "mix") (param i64 f64) (result f64)
    local.get 0
    f64.convert_i64_s
    local.get 1
    f64.add))

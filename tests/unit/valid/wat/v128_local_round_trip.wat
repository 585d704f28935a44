;; SimdExecution.V128LocalRoundTrip.
(module
  (func (export "f") (param v128) (result v128) (local v128)
    local.get 0
    local.set 1
    local.get 1))

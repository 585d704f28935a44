;; Execution.FusedAddressArithmetic: an i32.add folded into the load that uses
;; it keeps Wasm's 32-bit wrap-around of the address.
(module
  (memory 1)
  (func (export "f") (param i32 i32) (result i32)
    (i32.store (i32.const 100) (i32.const 0x01020304))
    (i32.load (i32.add (local.get 0) (local.get 1)))))

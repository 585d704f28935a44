;; A v128 parameter (Simd.V128ValuesWithoutSimdInstructions).
(module (func (export "f") (param v128)))

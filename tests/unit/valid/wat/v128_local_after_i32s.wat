;; A v128 local after three i32 locals (two declarations).
(module (func (export "f") (local i32 i32 i32 v128)))

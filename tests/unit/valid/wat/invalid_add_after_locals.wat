;; Messages.OffsetAfterLocalDeclarations: local 3 is the f32, i32.add at body offset 4.
(module
  (func (export "f") (param i32) (local i64 i64 f32)
    local.get 0 local.get 3 i32.add drop))

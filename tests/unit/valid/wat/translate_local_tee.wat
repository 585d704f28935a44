;; Translation.LocalTeeWritesTheLocalDirectly.
(module
  (func (param i32) (local i32)
    i32.const 7 local.tee 1 local.get 1 i32.add local.set 0))

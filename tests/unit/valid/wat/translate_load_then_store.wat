;; Translation.LoadThenStoreIsOneMove.
(module
  (memory 1)
  ;; 0: one byte moved.
  (func (param i32 i32)
    local.get 1 local.get 0 i32.const 8 i32.add
    i32.load8_u offset=1 i32.store8 offset=3)
  ;; 1: different widths: i32.load8_u then i32.store16.
  (func (param i32 i32)
    local.get 1 local.get 0 i32.load8_u i32.store16))

;; A typed select of v128.
(module
  (func (export "f")
    unreachable
    select (result v128)
    drop))

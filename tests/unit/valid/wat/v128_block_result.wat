;; A block of type v128.
(module
  (func (export "f")
    block (result v128)
      unreachable
    end
    drop))

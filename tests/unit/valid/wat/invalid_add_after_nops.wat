;; Messages.NameFunctionOffsetAndInstruction: i32.add at absolute offset 32.
(module
  (func (export "f")
    nop nop i32.add drop))

;; EndToEnd.CallIndirectAcrossInstances: M1, a table of 2 funcrefs;
;; call(i) = call_indirect (type () -> i32) table[i].
(module
  (type $get (func (result i32)))
  (table (export "tab") 2 funcref)
  (func (export "call") (param i32) (result i32)
    local.get 0
    call_indirect (type $get)))

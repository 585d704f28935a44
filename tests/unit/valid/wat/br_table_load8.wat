;; Execution.BrTableOnASumOrALoadedByte: the index is the byte at local 0 + 2
;; (br_table_load8); memory holds bytes 0 1 2 3 from address 2.
(module
  (memory 1)
  (func (export "f") (param i32) (result i32)
    (block
      (block
        (block
          (br_table 0 1 2 (i32.load8_u offset=2 align=1 (local.get 0))))
        (return (i32.const 10)))
      (return (i32.const 20)))
    i32.const 30)
  (data (i32.const 2) "\00\01\02\03"))

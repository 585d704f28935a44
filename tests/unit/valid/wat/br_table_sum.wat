;; Execution.BrTableOnASumOrALoadedByte: the index is local 0 - 5, a lazy sum
;; (br_table_add).
(module
  (func (export "f") (param i32) (result i32)
    (block
      (block
        (block
          (br_table 0 1 2 (i32.sub (local.get 0) (i32.const 5))))
        (return (i32.const 10)))
      (return (i32.const 20)))
    i32.const 30))

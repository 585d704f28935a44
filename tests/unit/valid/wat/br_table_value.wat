;; Execution.BrTableWithValue: br_table 0 1 2 3 out of three nested blocks;
;; each block's end adds 1, 10, 1000; the default (3) is the function's label
;; and returns the value as is. The value is a constant in its slot already
;; ("constant") or a local that is copied ("local").
(module
  (func (export "constant") (param i32 i32) (result i32)
    block (result i32)
      block (result i32)
        block (result i32)
          i32.const 100
          local.get 0
          br_table 0 1 2 3
        end
        i32.const 1
        i32.add
      end
      i32.const 10
      i32.add
    end
    i32.const 1000
    i32.add)
  (func (export "local") (param i32 i32) (result i32)
    block (result i32)
      block (result i32)
        block (result i32)
          local.get 1
          local.get 0
          br_table 0 1 2 3
        end
        i32.const 1
        i32.add
      end
      i32.const 10
      i32.add
    end
    i32.const 1000
    i32.add))

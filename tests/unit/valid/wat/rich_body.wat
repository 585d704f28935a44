;; A body using blocks with params, loops, if/else, br_table, calls, locals,
;; memory, tables, globals, references and 0xFC ops (robustness_test mutates
;; every byte of function 1's body).
(module
  (type (func (param i32 i32) (result i32)))
  (type (func (param i32) (result i32 i32)))
  (table 2 funcref)
  (memory 1 2)
  (global (mut i32) (i32.const 0))
  (func (type 1)
    local.get 0
    local.get 0)
  (func (export "f") (type 0) (local i32 i32 i64)
    local.get 0  ;; block with a param
    block (type 1)
      i32.const 1
      i32.add
      local.get 0
    end
    drop
    drop
    loop  ;; br_if
      local.get 1
      i32.eqz
      br_if 0
    end
    local.get 0  ;; if/else
    if (result i32)
      i32.const 1
    else
      i32.const 2
    end
    local.set 2
    block  ;; br_table
      local.get 0
      br_table 0 0
    end
    local.get 1  ;; call, tee
    call 0
    i32.add
    local.tee 2
    local.get 0  ;; load, store
    i32.load offset=4
    i32.store offset=8
    i32.const 0  ;; table.get
    table.get 0
    ref.is_null
    global.set 0
    ref.func 1  ;; references, table.grow
    drop
    ref.null func
    i32.const 1
    table.grow 0
    drop
    i32.const 0  ;; memory.init
    i32.const 0
    i32.const 0
    memory.init 0
    local.get 1
    local.get 2
    local.get 0
    select)
  (data "hi"))

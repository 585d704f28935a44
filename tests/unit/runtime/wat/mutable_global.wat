;; EndToEnd.MutableGlobalExport.
(module
  (global (export "g") (mut i32) (i32.const 10))
  (func (export "inc")
    global.get 0
    i32.const 1
    i32.add
    global.set 0))

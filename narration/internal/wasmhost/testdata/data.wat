;; Active data at 16 and at 70000 (the second page), a passive segment, and
;; functions to read and write a byte of memory.
(module
  (memory (export "memory") 2)
  (data (i32.const 16) "hello")
  (data (i32.const 70000) "world")
  (data $p "passive")
  (func (export "get") (param i32) (result i32)
    local.get 0
    i32.load8_u)
  (func (export "put") (param i32 i32)
    local.get 0
    local.get 1
    i32.store8)
  (func (export "init") ;; copies the passive segment to 100
    i32.const 100
    i32.const 0
    i32.const 7
    memory.init $p))

;; A WASI command that returns from _start: exit status 0.
(module
  (memory (export "memory") 1)
  (func (export "_start")))

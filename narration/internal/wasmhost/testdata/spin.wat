;; A WASI command that never ends on its own; it calls the host (sched_yield)
;; on every turn, so a closed instance stops there.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $forever (drop (call $yield)) (br $forever))))

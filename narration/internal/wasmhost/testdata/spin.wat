;; A WASI command that takes a while: 3,000,000 calls to the host (sched_yield)
;; before it returns, far longer than the tests' deadlines.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $i i32)
    (local.set $i (i32.const 3000000))
    (loop $more
      (drop (call $yield))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $more (local.get $i)))))

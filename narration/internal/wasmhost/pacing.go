package wasmhost

import (
	"runtime/debug"
	"sync"
)

// A collection starts by stopping every goroutine, and a goroutine running a
// module's compiled code cannot be stopped until the module calls the host
// or returns: for Flite, when the line is said, up to a tenth of a second
// later. A render's heap is small (a few megabytes live), so with the
// collector's default pacing it was collected dozens of times a render, each
// time with the core that asked for it idle until the other core's line
// ended: a tenth of the render's wall time. Spacing the collections while
// modules run wins most of that back. The program's soft memory limit (see
// the main package) still bounds the heap.

// busyGCPercent is the collector's pacing while modules run: a collection
// when the heap has grown to five times what was live after the last one.
const busyGCPercent = 400

var busy struct {
	sync.Mutex
	n    int // Busy spells not ended
	prev int // the pacing before the first
}

// Busy spaces the process's collections until end is called, for a stretch
// of work that runs modules on several goroutines at once (a render). Spells
// may overlap; the pacing is restored when the last ends. A pacing already
// sparser (or collection turned off, GOGC=off) is left as it is.
func Busy() (end func()) {
	busy.Lock()
	defer busy.Unlock()
	if busy.n == 0 {
		busy.prev = debug.SetGCPercent(busyGCPercent)
		if busy.prev < 0 || busy.prev >= busyGCPercent {
			debug.SetGCPercent(busy.prev)
		}
	}
	busy.n++
	return sync.OnceFunc(func() {
		busy.Lock()
		defer busy.Unlock()
		if busy.n--; busy.n == 0 {
			debug.SetGCPercent(busy.prev)
		}
	})
}

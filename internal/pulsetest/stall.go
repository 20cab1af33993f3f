package pulsetest

import (
	"sync"
	"time"
)

// StallWatch measures the longest time this process went without running, by
// how late a fast ticker fires. A machine busy enough to stall a process for a
// few tens of milliseconds also starves sound buffers, so tests use it to tell
// dropouts the machine caused from dropouts of their own making.
type StallWatch struct {
	stop chan struct{}
	done chan struct{}

	mu  sync.Mutex
	max time.Duration
}

// WatchStalls starts watching.
func WatchStalls() *StallWatch {
	w := &StallWatch{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		const every = 5 * time.Millisecond
		t := time.NewTicker(every)
		defer t.Stop()
		last := time.Now()
		for {
			select {
			case <-w.stop:
				return
			case now := <-t.C:
				w.mu.Lock()
				w.max = max(w.max, now.Sub(last)-every)
				w.mu.Unlock()
				last = now
			}
		}
	}()
	return w
}

// Max returns the longest stall so far.
func (w *StallWatch) Max() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.max
}

// Stop stops watching and returns the longest stall.
func (w *StallWatch) Stop() time.Duration {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
	return w.Max()
}

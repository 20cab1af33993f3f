// Package ordered runs numbered pieces of work on several goroutines and
// hands their results on in order, holding only a few results at a time: the
// shape of rendering and encoding a track in segments on every core while
// writing it front to back.
package ordered

import (
	"context"
	"runtime"
	"sync"
)

// Run calls work(i) for i in [0, n) on up to workers goroutines (0 means
// GOMAXPROCS) and consume(i, result) for each in order of i, on the calling
// goroutine. At most 2·workers results are computed ahead of consume. The
// first error, from work or consume, or ctx ending, stops the run: no new
// work starts, and Run returns that error once the work under way has
// finished.
func Run[T any](ctx context.Context, n, workers int, work func(i int) (T, error), consume func(i int, r T) error) error {
	if n <= 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	inner, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		r   T
		err error
	}
	slots := make([]chan result, n)
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	ahead := make(chan struct{}, 2*workers) // a token per result not yet consumed
	jobs := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // hands out indexes while results are consumed
		defer wg.Done()
		defer close(jobs)
		for i := range n {
			select {
			case ahead <- struct{}{}:
			case <-inner.Done():
				return
			}
			select {
			case jobs <- i:
			case <-inner.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := work(i)
				slots[i] <- result{r, err}
			}
		}()
	}

	var err error
	for i := 0; i < n && err == nil; i++ {
		select {
		case res := <-slots[i]:
			<-ahead
			if res.err != nil {
				err = res.err
			} else {
				err = consume(i, res.r)
			}
		case <-inner.Done():
			err = ctx.Err()
		}
	}
	cancel()
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}

package ordered

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestInOrder(t *testing.T) {
	for _, workers := range []int{1, 2, 5, 0} {
		var got []int
		var running, most atomic.Int32
		err := Run(context.Background(), 50, workers, func(i int) (int, error) {
			r := running.Add(1)
			for {
				m := most.Load()
				if r <= m || most.CompareAndSwap(m, r) {
					break
				}
			}
			time.Sleep(time.Duration(50-i) * 10 * time.Microsecond) // later ones finish first
			running.Add(-1)
			return i * i, nil
		}, func(i, r int) error {
			if r != i*i {
				t.Errorf("result %d for %d", r, i)
			}
			got = append(got, i)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 50 {
			t.Fatalf("%d workers: consumed %d of 50", workers, len(got))
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("%d workers: consumed out of order: %v", workers, got)
			}
		}
		if workers > 0 && int(most.Load()) > workers {
			t.Errorf("%d workers: %d ran at once", workers, most.Load())
		}
	}
}

func TestStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	err := Run(context.Background(), 1000, 2, func(i int) (int, error) {
		started.Add(1)
		if i == 3 {
			return 0, boom
		}
		return i, nil
	}, func(i, r int) error { return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if n := started.Load(); n > 20 {
		t.Errorf("%d pieces started after the error at 3", n)
	}
	err = Run(context.Background(), 1000, 2, func(i int) (int, error) { return i, nil },
		func(i, r int) error {
			if i == 5 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) {
		t.Fatalf("consume error: %v", err)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := Run(ctx, 1000, 2, func(i int) (int, error) {
		if i == 10 {
			cancel()
		}
		return i, nil
	}, func(i, r int) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

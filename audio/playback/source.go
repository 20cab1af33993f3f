package playback

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

const (
	// renderChunk is how many device frames the renderer asks the stream for at
	// a time.
	renderChunk = 2048
	// maxRead caps the frames one Read hands to oto. oto counts them as buffered
	// only after Read returns, so a small cap bounds the error of Position if it
	// looks in between.
	maxRead = 1024
	// frameBytes is one stereo float32 frame, the format of the oto context.
	frameBytes = 8
	// resampleQuality is beep's "good quality, on the fly" setting.
	resampleQuality = 4
)

// source feeds oto from a beep.StreamSeeker. A goroutine renders ahead into a
// ring so that a slow render never stalls the device, and Read hands the ring to
// oto as float32 bytes. It implements io.ReadSeeker for oto; its Seek offsets are
// samples of the stream, not bytes.
type source struct {
	s     beep.StreamSeeker
	ratio float64 // stream rate / device rate; 1 means no resampling

	srcMu  sync.Mutex    // held while the renderer streams, so Seek waits for it
	stream beep.Streamer // s, or a resampler over s

	mu     sync.Mutex
	wake   *sync.Cond // the renderer waits on it for room, a seek or close
	ring   [][2]float64
	head   int // index of the oldest frame in ring
	count  int // frames in ring
	gen    int // bumped by Seek: a render started before it is stale
	eof    bool
	err    error // the stream's error, sticky
	closed bool
	base   int // stream sample of the last seek
	handed int // device frames handed to oto since the last seek
}

var _ io.ReadSeeker = (*source)(nil)

// newSource starts the renderer. ahead is the ring's size in device frames.
func newSource(s beep.StreamSeeker, streamRate, deviceRate beep.SampleRate, ahead int) *source {
	r := &source{
		s:     s,
		ratio: float64(streamRate) / float64(deviceRate),
		ring:  make([][2]float64, max(ahead, renderChunk)),
		base:  s.Position(),
	}
	r.wake = sync.NewCond(&r.mu)
	r.stream = r.resampled()
	go r.render()
	return r
}

// resampled returns the stream as the device should get it. A resampler keeps
// state from the samples it has read, so a new one is made after every seek.
func (r *source) resampled() beep.Streamer {
	if r.ratio == 1 {
		return r.s
	}
	return beep.ResampleRatio(resampleQuality, r.ratio, r.s)
}

func (r *source) render() {
	tmp := make([][2]float64, renderChunk)
	for {
		r.mu.Lock()
		for !r.closed && (r.eof || r.count+len(tmp) > len(r.ring)) {
			r.wake.Wait()
		}
		if r.closed {
			r.mu.Unlock()
			return
		}
		gen := r.gen
		r.mu.Unlock()

		r.srcMu.Lock()
		r.mu.Lock()
		closed := r.closed // close may have come since the wait above
		r.mu.Unlock()
		if closed {
			r.srcMu.Unlock()
			return
		}
		n, ok := r.stream.Stream(tmp)
		var err error
		if !ok || n == 0 {
			// n == 0 with ok breaks the Streamer contract; ending there beats
			// spinning forever.
			ok = false
			err = r.stream.Err()
		}
		r.srcMu.Unlock()

		r.mu.Lock()
		if gen == r.gen {
			for _, f := range tmp[:n] {
				r.ring[(r.head+r.count)%len(r.ring)] = f
				r.count++
			}
			if !ok {
				r.eof = true
				if err != nil && r.err == nil {
					r.err = err
				}
			}
		}
		r.mu.Unlock()
	}
}

// Read hands oto up to maxRead frames as stereo float32. It never blocks: with
// nothing rendered yet it returns 0, and oto asks again a moment later.
func (r *source) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(len(p)/frameBytes, r.count, maxRead)
	if n == 0 {
		if r.eof && r.count == 0 {
			return 0, io.EOF
		}
		return 0, nil
	}
	for i := range n {
		f := r.ring[(r.head+i)%len(r.ring)]
		binary.LittleEndian.PutUint32(p[i*frameBytes:], math.Float32bits(float32(dsp.Clip(f[0]))))
		binary.LittleEndian.PutUint32(p[i*frameBytes+4:], math.Float32bits(float32(dsp.Clip(f[1]))))
	}
	r.head = (r.head + n) % len(r.ring)
	r.count -= n
	r.handed += n
	r.wake.Signal()
	return n * frameBytes, nil
}

// Seek moves the stream to sample offset (whence must be io.SeekStart) and drops
// what was rendered ahead. oto calls it from Player.Seek after stopping its reads.
func (r *source) Seek(offset int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, errors.New("playback: seek: only io.SeekStart is supported")
	}
	r.srcMu.Lock()
	err := r.s.Seek(int(offset))
	if err == nil {
		r.stream = r.resampled()
	}
	r.srcMu.Unlock()
	if err != nil {
		return 0, err
	}

	r.mu.Lock()
	r.gen++
	r.head, r.count = 0, 0
	r.eof = r.err != nil // a failed stream stays failed
	r.base = int(offset)
	r.handed = 0
	r.wake.Broadcast()
	r.mu.Unlock()
	return offset, nil
}

// state reports the last seek's stream sample, the device frames handed to oto
// since, and whether everything has been handed.
func (r *source) state() (base, handed int, drained bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.base, r.handed, r.eof && r.count == 0
}

// waitFor waits until n frames are rendered ahead, the stream has ended, or d
// has passed.
func (r *source) waitFor(n int, d time.Duration) {
	deadline := time.Now().Add(d)
	for {
		r.mu.Lock()
		ready := r.count >= min(n, len(r.ring)-renderChunk) || r.eof || r.closed
		r.mu.Unlock()
		if ready || time.Now().After(deadline) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Err returns the stream's error, if it ended with one.
func (r *source) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// close stops the renderer, and waits for a read of the stream under way to
// end, so that the stream may be closed as soon as close returns.
func (r *source) close() {
	r.mu.Lock()
	r.closed = true
	r.wake.Broadcast()
	r.mu.Unlock()
	r.srcMu.Lock()
	r.srcMu.Unlock() //lint:ignore SA2001 the lock is the wait
}

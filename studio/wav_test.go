package studio

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

// rampSource is a stream whose sample i is a known value on each channel,
// seekable, counting its seeks.
type rampSource struct {
	n, pos, seeks int
	failAt        int // Stream stops with an error here (0: never)
	err           error
}

func (r *rampSource) value(i, c int) float64 { return float64((i*7+c*3)%2001-1000) / 1000 }

func (r *rampSource) Stream(dst [][2]float64) (int, bool) {
	k := 0
	for ; k < len(dst) && r.pos < r.n; k++ {
		if r.failAt > 0 && r.pos == r.failAt {
			r.err = errors.New("clip ended early")
			return k, false
		}
		dst[k] = [2]float64{r.value(r.pos, 0), r.value(r.pos, 1)}
		r.pos++
	}
	return k, k > 0
}
func (r *rampSource) Err() error       { return r.err }
func (r *rampSource) Position() int    { return r.pos }
func (r *rampSource) Seek(p int) error { r.pos = p; r.seeks++; return nil }
func (r *rampSource) Close() error     { return nil }

func TestStudioWAVReaderReadsAnyRange(t *testing.T) {
	for _, ch := range []int{1, 2} {
		src := &rampSource{n: 20000}
		w := newWAVReader(src, 44100, ch, src.n)
		if w.Size() != int64(44+2*ch*src.n) {
			t.Fatalf("size %d", w.Size())
		}
		whole, err := io.ReadAll(w)
		if err != nil || int64(len(whole)) != w.Size() {
			t.Fatalf("%d channels: read %d bytes, %v", ch, len(whole), err)
		}
		if !bytes.Equal(whole[:4], []byte("RIFF")) || !bytes.Equal(whole[36:40], []byte("data")) {
			t.Fatalf("header %q", whole[:44])
		}
		c, format := DecodeClip(t, whole, "x.wav")
		if c.Len() != src.n || format.NumChannels != ch {
			t.Fatalf("decodes as %d samples, %d channels", c.Len(), format.NumChannels)
		}
		rng := rand.New(rand.NewPCG(1, uint64(ch)))
		for range 200 {
			off := rng.Int64N(w.Size())
			n := 1 + rng.IntN(30000)
			if _, err := w.Seek(off, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, n)
			k, err := io.ReadFull(w, got)
			want := whole[off:min(int64(len(whole)), off+int64(n))]
			if !bytes.Equal(got[:k], want) || (err != nil && k != len(want)) {
				t.Fatalf("%d channels: %d bytes at %d differ from the whole file (%v)", ch, n, off, err)
			}
		}
	}
}

func TestStudioWAVReaderStopsOnRenderError(t *testing.T) {
	src := &rampSource{n: 20000, failAt: 10000}
	_, err := io.ReadAll(newWAVReader(src, 44100, 1, src.n))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("clip ended early")) {
		t.Fatalf("read past a render error: %v", err)
	}
}

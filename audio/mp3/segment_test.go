package mp3

import (
	"bytes"
	"sync"
	"testing"
)

// encodeSegments encodes in with Segments of segFrames frames each,
// encoding them with the given number of goroutines, into memory.
func encodeSegments(t *testing.T, in [][2]float64, opt Options, segFrames int64, workers int) []byte {
	t.Helper()
	opt.TotalSamples = int64(len(in))
	var m memFile
	s, err := NewSegments(&m, opt)
	if err != nil {
		t.Fatal(err)
	}
	var starts []int64
	for f := int64(0); f < s.Frames(); f += segFrames {
		starts = append(starts, f)
	}
	segs := make([]*Segment, len(starts))
	errs := make([]error, len(starts))
	var wg sync.WaitGroup
	work := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				first := starts[i]
				count := min(segFrames, s.Frames()-first)
				lo, hi := s.Input(first, count)
				segs[i], errs[i] = s.EncodeSegment(first, count, in[lo:hi])
			}
		}()
	}
	for i := range starts {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, g := range segs {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if err := s.Append(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return m.b
}

// TestSegmentsWhole: one segment is the stream Encode writes, byte for byte.
func TestSegmentsWhole(t *testing.T) {
	for _, c := range []rtCase{{44100, 64, Mono}, {44100, 128, JointStereo}, {24000, 40, Mono}} {
		t.Run(c.name(), func(t *testing.T) {
			in := testSignal(c.rate*2, c.rate, 5)
			opt := Options{SampleRate: c.rate, Bitrate: c.kbps, Mode: c.mode}
			want := encodeToMem(t, in, opt, 4096)
			got := encodeSegments(t, in, opt, 1<<20, 1)
			if !bytes.Equal(got, want) {
				t.Errorf("one segment: %d bytes, differ from Encode's %d", len(got), len(want))
			}
		})
	}
}

// TestSegmentsJoined: a stream cut into segments is a valid stream of the
// same frames, Info frame and quality, and its bytes do not depend on how
// many goroutines encoded it.
func TestSegmentsJoined(t *testing.T) {
	for _, c := range []rtCase{{44100, 64, Mono}, {44100, 128, JointStereo}, {24000, 40, Mono}, {22050, 32, Mono}} {
		t.Run(c.name(), func(t *testing.T) {
			in := testSignal(c.rate*3, c.rate, 7)
			opt := Options{SampleRate: c.rate, Bitrate: c.kbps, Mode: c.mode}
			whole := encodeToMem(t, in, opt, 4096)
			one := encodeSegments(t, in, opt, 7, 1)
			four := encodeSegments(t, in, opt, 7, 4)
			if !bytes.Equal(one, four) {
				t.Fatal("segments encoded by four goroutines differ from one goroutine's")
			}
			if len(one) != len(whole) {
				t.Errorf("segmented stream is %d bytes, whole %d", len(one), len(whole))
			}
			spf := frameSamples(c.rate)
			frames := (len(in) + codecDelay + spf - 1) / spf
			checkFrames(t, one, c, frames)
			checkReservoir(t, one)
			info, winfo := parseInfo(t, one), parseInfo(t, whole)
			if info.frames != winfo.frames || info.bytes != winfo.bytes || info.delay != winfo.delay || info.padding != winfo.padding {
				t.Errorf("Info %+v, whole stream's %+v", info, winfo)
			}
			dec := decodeGoMP3(t, one)
			if got, want := len(dec), (frames+1)*spf; got != want {
				t.Errorf("decoded %d samples, want %d", got, want)
			}
			sw, sj := snr(in, decodeGoMP3(t, whole), spf+codecDelay, c.channels()), snr(in, dec, spf+codecDelay, c.channels())
			t.Logf("SNR whole %.2f dB, segmented %.2f dB", sw, sj)
			if sj < sw-0.5 {
				t.Errorf("segmented SNR %.2f dB, whole stream %.2f dB", sj, sw)
			}
		})
	}
}

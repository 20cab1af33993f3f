package playback

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"
)

// ramp is a StreamSeeker whose sample i is (i/scale, -i/scale), optionally failing
// with failErr once failAt samples have been streamed.
type ramp struct {
	n, pos  int
	scale   float64
	failAt  int
	failErr error
	err     error
}

func (r *ramp) Stream(buf [][2]float64) (int, bool) {
	if r.err != nil {
		return 0, false
	}
	n := 0
	for n < len(buf) && r.pos < r.n {
		if r.failErr != nil && r.pos >= r.failAt {
			r.err = r.failErr
			break
		}
		v := float64(r.pos) / r.scale
		buf[n] = [2]float64{v, -v}
		n++
		r.pos++
	}
	return n, n > 0
}
func (r *ramp) Err() error    { return r.err }
func (r *ramp) Len() int      { return r.n }
func (r *ramp) Position() int { return r.pos }
func (r *ramp) Seek(p int) error {
	if p < 0 || p > r.n {
		return errors.New("ramp: seek out of range")
	}
	r.pos = p
	return nil
}

// readAll reads src until io.EOF as oto would, decoding the frames.
func readAll(t *testing.T, src *source) [][2]float32 {
	t.Helper()
	var out [][2]float32
	buf := make([]byte, 3000) // not a multiple of a frame, as oto's may not be
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		n, err := src.Read(buf)
		if n%frameBytes != 0 {
			t.Fatalf("Read returned %d bytes, not whole frames", n)
		}
		for i := 0; i < n; i += frameBytes {
			out = append(out, [2]float32{
				math.Float32frombits(binary.LittleEndian.Uint32(buf[i:])),
				math.Float32frombits(binary.LittleEndian.Uint32(buf[i+4:])),
			})
		}
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	t.Fatal("no EOF within 5 s")
	return nil
}

func TestSourceReadsEverySampleInOrder(t *testing.T) {
	const n = 10000
	src := newSource(&ramp{n: n, scale: n}, 44100, 44100, 3000)
	defer src.close()
	got := readAll(t, src)
	if len(got) != n {
		t.Fatalf("read %d frames, want %d", len(got), n)
	}
	for i, f := range got {
		want := float32(float64(i) / n)
		if f[0] != want || f[1] != -want {
			t.Fatalf("frame %d = %v, want [%v %v]", i, f, want, -want)
		}
	}
	if base, handed, drained := src.state(); base != 0 || handed != n || !drained {
		t.Errorf("state = %d, %d, %v; want 0, %d, true", base, handed, drained, n)
	}
	if err := src.Err(); err != nil {
		t.Errorf("Err = %v", err)
	}
}

func TestSourceClips(t *testing.T) {
	// scale 1000: samples reach 2.0, beyond full scale.
	src := newSource(&ramp{n: 2000, scale: 1000}, 44100, 44100, 4096)
	defer src.close()
	for i, f := range readAll(t, src) {
		if f[0] > 1 || f[1] < -1 {
			t.Fatalf("frame %d = %v, outside [-1, 1]", i, f)
		}
	}
}

func TestSourceSeek(t *testing.T) {
	const n = 20000
	src := newSource(&ramp{n: n, scale: n}, 44100, 44100, 4096)
	defer src.close()
	buf := make([]byte, 800)
	src.waitFor(100, 5*time.Second)
	if _, err := src.Read(buf); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Seek(15000, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if base, handed, _ := src.state(); base != 15000 || handed != 0 {
		t.Errorf("after seek: base %d handed %d, want 15000 0", base, handed)
	}
	got := readAll(t, src)
	if len(got) != n-15000 {
		t.Fatalf("read %d frames after seek, want %d", len(got), n-15000)
	}
	if want := float32(15000.0 / n); got[0][0] != want {
		t.Errorf("first frame after seek %v, want %v", got[0][0], want)
	}
	if _, err := src.Seek(1, io.SeekCurrent); err == nil {
		t.Error("SeekCurrent should fail")
	}
	if _, err := src.Seek(n+1, io.SeekStart); err == nil {
		t.Error("seek beyond the end should fail with the stream's error")
	}
}

func TestSourceErrorSticks(t *testing.T) {
	boom := errors.New("boom")
	src := newSource(&ramp{n: 10000, scale: 1e4, failAt: 5000, failErr: boom}, 44100, 44100, 4096)
	defer src.close()
	if got := readAll(t, src); len(got) != 5000 {
		t.Errorf("read %d frames, want the 5000 before the error", len(got))
	}
	if err := src.Err(); !errors.Is(err, boom) {
		t.Fatalf("Err = %v, want boom", err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Read(make([]byte, 64)); err != io.EOF {
		t.Errorf("after a seek, a failed stream should stay ended; Read err = %v", err)
	}
	if err := src.Err(); !errors.Is(err, boom) {
		t.Errorf("Err after seek = %v, want boom", err)
	}
}

func TestSourceResamples(t *testing.T) {
	tests := []struct {
		name         string
		from, to     beep.SampleRate
		n, wantAbout int
	}{
		{"up", 22050, 44100, 22050, 44100},
		{"down", 48000, 44100, 48000, 44100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := newSource(&ramp{n: tc.n, scale: float64(tc.n)}, tc.from, tc.to, 4096)
			defer src.close()
			got := readAll(t, src)
			if d := len(got) - tc.wantAbout; d < -600 || d > 600 {
				t.Errorf("read %d frames, want about %d", len(got), tc.wantAbout)
			}
			// The ramp stays a ramp: the middle sample is about 0.5.
			if mid := got[len(got)/2][0]; math.Abs(float64(mid)-0.5) > 0.02 {
				t.Errorf("middle sample %v, want about 0.5", mid)
			}
		})
	}
}

func TestOutputErrorText(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the error names Linux's outputs")
	}
	t.Setenv("PULSE_SERVER", "unix:/nonexistent")
	oto := errors.New(`oto: initialization failed: PulseAudio: oto: PulseAudio client initialization failed: dial unix /nonexistent: connect: no such file or directory; ALSA: oto: ALSA device initialization failed: "default": oto: ALSA error at snd_pcm_open: No such file or directory, "plug:default": oto: ALSA error at snd_pcm_open: No such file or directory, "pulse": oto: ALSA error at snd_pcm_open: Connection refused`)
	err := outputError(oto)
	msg := err.Error()
	for _, want := range []string{
		"playback: no audio output",
		"PulseAudio/PipeWire server at unix:/nonexistent (dial unix /nonexistent: connect: no such file or directory)",
		`ALSA (none of 3 devices opened; device "default": No such file or directory)`,
		"routinecast export",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\ndoes not contain %q", msg, want)
		}
	}
	if !errors.Is(err, ErrNoOutput) || !errors.Is(err, oto) {
		t.Errorf("error should match ErrNoOutput and wrap oto's error")
	}
}

package audio

import (
	"bytes"
	"crypto/md5"
	"errors"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gopxl/beep/v2"
	mewflac "github.com/mewkiz/flac"

	"routinecast/internal/testtool"
)

// pcm16 returns samples that are exact 16-bit values, so that an encoder
// without dither must give them back bit for bit.
func pcm16(n int, stereo func(i int) (int16, int16)) [][2]float64 {
	s := make([][2]float64, n)
	for i := range s {
		l, r := stereo(i)
		s[i] = [2]float64{float64(l) / 32768, float64(r) / 32768}
	}
	return s
}

var pcmCases = []struct {
	name     string
	channels int
	n        int
	f        func(i int) (int16, int16)
}{
	{"stereo noise", 2, 10000, func(i int) (int16, int16) {
		r := rand.New(rand.NewPCG(uint64(i), 1))
		return int16(r.IntN(65536) - 32768), int16(r.IntN(65536) - 32768)
	}},
	{"stereo tone", 2, 4096*2 + 17, func(i int) (int16, int16) {
		return int16(20000 * math.Sin(float64(i)/10)), int16(15000 * math.Sin(float64(i)/7))
	}},
	{"identical channels", 2, 5000, func(i int) (int16, int16) {
		v := int16(30000 * math.Sin(float64(i)/13))
		return v, v
	}},
	{"full scale edges", 2, 100, func(i int) (int16, int16) {
		if i%2 == 0 {
			return 32767, -32768
		}
		return -32768, 32767
	}},
	{"mono", 1, 4097, func(i int) (int16, int16) {
		v := int16(12345 * math.Sin(float64(i)/3))
		return v, v
	}},
	{"silence", 1, 4096, func(int) (int16, int16) { return 0, 0 }},
	{"one sample", 2, 1, func(int) (int16, int16) { return 1, -1 }},
}

// plainWriter hides any Seek method.
type plainWriter struct{ io.Writer }

func TestEncodersRoundTrip(t *testing.T) {
	type encoder struct {
		name string
		ext  string
		new  func(io.Writer, EncodeOptions) (Encoder, error)
	}
	encoders := []encoder{
		{"wav", ".wav", func(w io.Writer, o EncodeOptions) (Encoder, error) { return NewWAVEncoder(w, o) }},
		{"flac", ".flac", func(w io.Writer, o EncodeOptions) (Encoder, error) { return NewFLACEncoder(w, o) }},
	}
	for _, enc := range encoders {
		for _, tc := range pcmCases {
			for _, seekable := range []bool{true, false} {
				name := enc.name + "/" + tc.name + map[bool]string{true: "/file", false: "/pipe"}[seekable]
				t.Run(name, func(t *testing.T) {
					src := pcm16(tc.n, tc.f)
					path := filepath.Join(t.TempDir(), "out"+enc.ext)
					f, err := os.Create(path)
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					opt := EncodeOptions{SampleRate: 44100, Channels: tc.channels}
					var w io.Writer = f
					if !seekable {
						w = plainWriter{f}
						opt.Length = tc.n
					}
					e, err := enc.new(w, opt)
					if err != nil {
						t.Fatal(err)
					}
					// In uneven pieces.
					for rest := src; len(rest) > 0; {
						k := min(len(rest), 999)
						if err := e.Write(rest[:k]); err != nil {
							t.Fatal(err)
						}
						rest = rest[k:]
					}
					if err := e.Close(); err != nil {
						t.Fatal(err)
					}
					s, format, err := Open(path)
					if err != nil {
						t.Fatal(err)
					}
					defer s.Close()
					if format.SampleRate != 44100 || format.NumChannels != tc.channels {
						t.Errorf("format %+v", format)
					}
					got := testtool.ReadAll(t, s, 1000)
					if len(got) != len(src) {
						t.Fatalf("%d samples back, want %d", len(got), len(src))
					}
					if d, at := maxDiff(got, src); d != 0 {
						t.Fatalf("sample %d: got %v, wrote %v", at, got[at], src[at])
					}
					if _, err := exec.LookPath("ffmpeg"); err == nil || testtool.Required() {
						ff := testtool.FFmpegDecode(t, path, tc.channels)
						if d, at := maxDiff(ff, src); d != 0 || len(ff) != len(src) {
							t.Fatalf("ffmpeg decodes %d samples, sample %d differs by %g", len(ff), at, d)
						}
					}
				})
			}
		}
	}
}

func TestEncoderErrors(t *testing.T) {
	var buf bytes.Buffer
	if _, err := NewWAVEncoder(&buf, EncodeOptions{SampleRate: 8000, Channels: 1}); err == nil {
		t.Error("WAV to a pipe without a length: no error")
	}
	if _, err := NewWAVEncoder(&buf, EncodeOptions{SampleRate: 8000, Channels: 3, Length: 1}); err == nil {
		t.Error("3 channels: no error")
	}
	if _, err := NewFLACEncoder(&buf, EncodeOptions{SampleRate: 0, Channels: 1}); err == nil {
		t.Error("rate 0: no error")
	}
	if _, err := NewWAVEncoder(&buf, EncodeOptions{SampleRate: 8000, Channels: 2, Length: 1 << 30}); err == nil {
		t.Error("a WAV over 4 GiB: no error")
	}
	for _, mk := range []func(io.Writer, EncodeOptions) (Encoder, error){
		func(w io.Writer, o EncodeOptions) (Encoder, error) { return NewWAVEncoder(w, o) },
		func(w io.Writer, o EncodeOptions) (Encoder, error) { return NewFLACEncoder(w, o) },
	} {
		e, err := mk(&bytes.Buffer{}, EncodeOptions{SampleRate: 8000, Channels: 1, Length: 10})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Write(make([][2]float64, 11)); err == nil {
			t.Error("more samples than announced: no error")
		}
		e, _ = mk(&bytes.Buffer{}, EncodeOptions{SampleRate: 8000, Channels: 1, Length: 10})
		e.Write(make([][2]float64, 9))
		if err := e.Close(); err == nil {
			t.Error("fewer samples than announced: no error at Close")
		}
	}
}

// TestFLACStreamWithoutLength checks a FLAC written to a pipe without a
// length (STREAMINFO says "unknown"): our decoder counts the samples.
func TestFLACStreamWithoutLength(t *testing.T) {
	var buf bytes.Buffer
	e, err := NewFLACEncoder(&buf, EncodeOptions{SampleRate: 22050, Channels: 2})
	if err != nil {
		t.Fatal(err)
	}
	src := pcm16(9000, pcmCases[1].f)
	if err := e.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	s, _, err := decodeBytes(buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 9000 {
		t.Errorf("Len() = %d", s.Len())
	}
	if d, _ := maxDiff(testtool.ReadAll(t, s, 1000), src); d != 0 {
		t.Errorf("differs by %g", d)
	}
}

func TestWAVEncoderAtOffset(t *testing.T) {
	// The header is patched where the WAV starts, not at offset 0.
	path := filepath.Join(t.TempDir(), "x")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("prefix")
	e, err := NewWAVEncoder(f, EncodeOptions{SampleRate: 8000, Channels: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.Write(make([][2]float64, 100))
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	s, _, err := decodeBytes(b[6:], "x.wav")
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 100 || len(b) != 6+44+200 {
		t.Errorf("Len %d, file %d bytes", s.Len(), len(b))
	}
}

func TestEncode(t *testing.T) {
	var buf bytes.Buffer
	e, _ := NewWAVEncoder(&buf, EncodeOptions{SampleRate: 8000, Channels: 2, Length: 300})
	n, err := Encode(e, &constant{n: 300, v: [2]float64{0.5, -0.5}})
	if err != nil || n != 300 {
		t.Fatalf("Encode = %d, %v", n, err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	e, _ = NewWAVEncoder(&bytes.Buffer{}, EncodeOptions{SampleRate: 8000, Channels: 2, Length: 300})
	if _, err := Encode(e, &constant{n: 10, err: boom}); !errors.Is(err, boom) {
		t.Errorf("Encode from a failing source: %v", err)
	}
}

func TestQuantizer(t *testing.T) {
	q := NewQuantizer(false)
	for _, c := range []struct {
		in   float64
		want int16
	}{{0, 0}, {1, 32767}, {-1, -32768}, {2, 32767}, {-3, -32768}, {0.5 / 32768, 1}, {-0.49 / 32768, 0},
		{100.4 / 32768, 100}, {math.NaN(), 0}, {math.Inf(1), 32767}} {
		if got := q.Int16(c.in); got != c.want {
			t.Errorf("Int16(%g) = %d, want %d", c.in, got, c.want)
		}
	}

	// TPDF dither: the error is unbiased, within ±1.5 LSB, and its
	// variance is 1/4 LSB² (1/6 from the dither, 1/12 from rounding).
	d := NewQuantizer(true)
	const n = 200000
	var sum, sq, worst float64
	rng := rand.New(rand.NewPCG(5, 6))
	for range n {
		x := (rng.Float64()*2 - 1) * 0.9
		e := float64(d.Int16(x)) - x*32768
		sum += e
		sq += e * e
		worst = math.Max(worst, math.Abs(e))
	}
	mean, variance := sum/n, sq/n-(sum/n)*(sum/n)
	t.Logf("dither error: mean %.4f LSB, variance %.4f LSB², worst %.3f LSB", mean, variance, worst)
	if math.Abs(mean) > 0.01 || math.Abs(variance-0.25) > 0.01 || worst > 1.5 {
		t.Errorf("dither error: mean %.4f, variance %.4f, worst %.3f", mean, variance, worst)
	}
	// A signal of a quarter LSB survives dither on average (it would round
	// to silence without).
	var acc float64
	d = NewQuantizer(true)
	for range n {
		acc += float64(d.Int16(0.25 / 32768))
	}
	if m := acc / n; math.Abs(m-0.25) > 0.01 {
		t.Errorf("mean of a dithered 1/4 LSB = %.4f", m)
	}
	// Repeatable.
	a, b := NewQuantizer(true), NewQuantizer(true)
	for i := range 1000 {
		x := math.Sin(float64(i))
		if a.Int16(x) != b.Int16(x) {
			t.Fatal("two dithering quantizers differ")
		}
	}
}

var _ beep.Streamer = (*constant)(nil)

// TestFLACHeader checks what Close writes into STREAMINFO on a seekable
// writer: the length, block sizes decoders accept, and the MD5 of the audio
// (checked the way libFLAC's "flac -t" does: hash of the decoded samples).
func TestFLACHeader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.flac")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewFLACEncoder(f, EncodeOptions{SampleRate: 48000, Channels: 2})
	if err != nil {
		t.Fatal(err)
	}
	e.Write(pcm16(5000, pcmCases[0].f))
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, err := mewflac.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if st.Info.NSamples != 5000 || st.Info.BlockSizeMin != 4096 || st.Info.BlockSizeMax != 4096 ||
		st.Info.SampleRate != 48000 || st.Info.NChannels != 2 || st.Info.BitsPerSample != 16 {
		t.Errorf("STREAMINFO %+v", *st.Info)
	}
	h := md5.New()
	for {
		fr, err := st.ParseNext()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		fr.Hash(h)
	}
	if !bytes.Equal(h.Sum(nil), st.Info.MD5sum[:]) {
		t.Errorf("MD5 in STREAMINFO %x, of the audio %x", st.Info.MD5sum, h.Sum(nil))
	}
}

// TestFLACAtEveryRateDecodesQuietly: a FLAC file this package writes, at
// every rate a clip or an export may have, decodes bit for bit here and in
// ffmpeg, and decoding it writes nothing to the standard logger (mewkiz/flac
// logs a line per frame whose header names 24 or 176.4 kHz).
func TestFLACAtEveryRateDecodesQuietly(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	src := pcm16(3*4096+5, pcmCases[4].f)
	for _, sr := range []int{8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000, 176400} {
		path := filepath.Join(t.TempDir(), "x.flac")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewFLACEncoder(f, EncodeOptions{SampleRate: beep.SampleRate(sr), Channels: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Write(src); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		s, format, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got := testtool.ReadAll(t, s, 1000)
		s.Close()
		if int(format.SampleRate) != sr || len(got) != len(src) {
			t.Errorf("%d Hz: decoded %d Hz, %d samples of %d", sr, format.SampleRate, len(got), len(src))
		} else if d, at := maxDiff(got, src); d != 0 {
			t.Errorf("%d Hz: sample %d: got %v, wrote %v", sr, at, got[at], src[at])
		}
		if logged.Len() > 0 {
			t.Fatalf("%d Hz: decoding logged %q", sr, logged.String())
		}
		if _, err := exec.LookPath("ffmpeg"); err == nil || testtool.Required() {
			if ff := testtool.FFmpegDecode(t, path, 1); len(ff) != len(src) {
				t.Errorf("%d Hz: ffmpeg decodes %d samples of %d", sr, len(ff), len(src))
			} else if d, at := maxDiff(ff, src); d != 0 {
				t.Errorf("%d Hz: ffmpeg: sample %d differs by %g", sr, at, d)
			}
		}
	}
}

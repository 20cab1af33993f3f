package mp3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"routinecast/internal/testtool"

	"github.com/gopxl/beep/v2"
)

type rtCase struct {
	rate, kbps int
	mode       Mode
}

func (c rtCase) name() string { return fmt.Sprintf("%d-%dk-%v", c.rate, c.kbps, c.mode) }

func (c rtCase) channels() int {
	if c.mode == Mono {
		return 1
	}
	return 2
}

// roundTripCases covers every sample rate and mode with low, middle and
// high bitrates.
func roundTripCases() []rtCase {
	var cs []rtCase
	for _, rate := range []int{32000, 44100, 48000, 16000, 22050, 24000} {
		brs := Bitrates(rate)
		picks := []int{brs[0], brs[len(brs)/2], brs[len(brs)-1]}
		if rate == 22050 {
			picks = append(picks, 40, 32) // with and without padding
		}
		for i, kbps := range picks {
			for _, m := range []Mode{Mono, Stereo, JointStereo} {
				if i == 0 && m == Stereo {
					continue
				}
				cs = append(cs, rtCase{rate, kbps, m})
			}
		}
	}
	return cs
}

// minSNR is what the round trip must at least reach on testSignal: loose at
// starved bitrates, where the point is that the stream decodes.
func (c rtCase) minSNR() float64 {
	perCh := float64(c.kbps) / float64(c.channels())
	switch {
	case perCh < 16:
		return -1
	case perCh < 32:
		return 5
	}
	return 12
}

func frameSamples(rate int) int {
	if rate < 32000 {
		return 576
	}
	return 1152
}

func TestRoundTripGoMP3(t *testing.T) {
	for _, c := range roundTripCases() {
		t.Run(c.name(), func(t *testing.T) {
			in := testSignal(c.rate*3/2, c.rate, 1)
			b := encodeToMem(t, in, Options{SampleRate: c.rate, Bitrate: c.kbps, Mode: c.mode}, 1000)
			dec := decodeGoMP3(t, b)
			spf := frameSamples(c.rate)
			// go-mp3 decodes the Info frame as silence and trims nothing.
			frames := (len(in) + codecDelay + spf - 1) / spf
			if got, want := len(dec), (frames+1)*spf; got != want {
				t.Errorf("decoded %d samples, want %d", got, want)
			}
			s := snr(in, dec, spf+codecDelay, c.channels())
			if s < c.minSNR() {
				t.Errorf("SNR %.1f dB, want >= %.1f", s, c.minSNR())
			}
			t.Logf("SNR %.1f dB", s)
			checkFrames(t, b, c, frames)
		})
	}
}

// checkFrames walks the stream frame by frame: every header must be valid,
// frame lengths must add up to the file, and the Info frame must count the
// others.
func checkFrames(t *testing.T, b []byte, c rtCase, wantFrames int) {
	t.Helper()
	pos, n := 0, 0
	var bytesTotal int
	for pos < len(b) {
		if len(b)-pos < 4 || b[pos] != 0xFF || b[pos+1]&0xE0 != 0xE0 {
			t.Fatalf("no frame sync at %d", pos)
		}
		l := frameLen(b[pos:])
		if l <= 0 || pos+l > len(b) {
			t.Fatalf("frame %d at %d: bad length %d", n, pos, l)
		}
		pos += l
		n++
	}
	bytesTotal = pos
	info := parseInfo(t, b)
	if info.frames != n-1 || info.frames != wantFrames {
		t.Errorf("Info frame counts %d frames; the stream has %d after it, want %d", info.frames, n-1, wantFrames)
	}
	if info.bytes != bytesTotal {
		t.Errorf("Info frame counts %d bytes, stream has %d", info.bytes, bytesTotal)
	}
	checkReservoir(t, b)
}

var bitrateKbps = [2][15]int{
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
}

// frameLen computes a Layer III frame's length from its header.
func frameLen(h []byte) int {
	lsf := 0
	if h[1]&0x08 == 0 {
		lsf = 1
	}
	br := bitrateKbps[lsf][h[2]>>4]
	rate := [2][3]int{{44100, 48000, 32000}, {22050, 24000, 16000}}[lsf][h[2]>>2&3]
	pad := int(h[2] >> 1 & 1)
	return (144000>>lsf)*br/rate + pad
}

type infoTag struct {
	frames, bytes  int
	delay, padding int
	encoder        string
	toc            []byte
}

func parseInfo(t *testing.T, b []byte) infoTag {
	t.Helper()
	return parseInfoCRC(t, b, true)
}

// parseInfoNoCRC skips the music CRC check (a tag written up front has
// none).
func parseInfoNoCRC(t *testing.T, b []byte) infoTag {
	t.Helper()
	return parseInfoCRC(t, b, false)
}

func parseInfoCRC(t *testing.T, b []byte, music bool) infoTag {
	t.Helper()
	lsf := b[1]&0x08 == 0
	mono := b[3]>>6 == 3
	off := map[[2]bool]int{{false, false}: 36, {false, true}: 21, {true, false}: 21, {true, true}: 13}[[2]bool{lsf, mono}]
	tag := b[off:]
	if string(tag[:4]) != "Info" {
		t.Fatalf("no Info tag at %d: %q", off, tag[:4])
	}
	if f := binary.BigEndian.Uint32(tag[4:]); f != 0xF {
		t.Errorf("Info flags %#x", f)
	}
	x := tag[120:]
	if c, want := binary.BigEndian.Uint16(x[34:]), crc16(0, b[:off+154]); c != want {
		t.Errorf("tag CRC %#04x, want %#04x", c, want)
	}
	l := frameLen(b)
	if c, want := binary.BigEndian.Uint16(x[32:]), crc16(0, b[l:]); music && c != want {
		t.Errorf("music CRC %#04x, want %#04x", c, want)
	}
	return infoTag{
		frames:  int(binary.BigEndian.Uint32(tag[8:])),
		bytes:   int(binary.BigEndian.Uint32(tag[12:])),
		toc:     tag[16:116],
		encoder: string(x[:9]),
		delay:   int(x[21])<<4 | int(x[22]>>4),
		padding: int(x[22]&15)<<8 | int(x[23]),
	}
}

func TestInfoFrame(t *testing.T) {
	const rate, n = 44100, 44100
	in := testSignal(n, rate, 2)
	b := encodeToMem(t, in, Options{SampleRate: rate, Bitrate: 128, Mode: JointStereo}, 4096)
	info := parseInfo(t, b)
	// Hand-computed: (44100 + 1057) / 1152 rounds up to 40 frames; 40·1152 -
	// 528 - 44100 = 1452 samples of padding. 128 kbps frames hold
	// 144000·128/44100 = 417 + 42300/44100 bytes: 40 frames hold 40·417 +
	// floor(40·42300/44100) = 16718, plus the 417-byte Info frame.
	want := infoTag{frames: 40, bytes: 16718 + 417, delay: 528, padding: 1452, encoder: "LAMErcast"}
	if info.frames != want.frames || info.bytes != want.bytes || info.delay != want.delay ||
		info.padding != want.padding || info.encoder != want.encoder {
		t.Errorf("Info tag %+v, want %+v", info, want)
	}
	if len(b) != want.bytes {
		t.Errorf("stream is %d bytes", len(b))
	}
	// The seek table starts at 0 and never decreases.
	if info.toc[0] != 0 {
		t.Errorf("TOC[0] = %d", info.toc[0])
	}
	for i := 1; i < 100; i++ {
		if info.toc[i] < info.toc[i-1] {
			t.Errorf("TOC decreases at %d: %v", i, info.toc)
			break
		}
	}
	// TOC[50]: audio frame 20 starts 20·417 + floor(20·42300/44100) = 8359
	// bytes after the first: 8359·256/17135 = 124.
	if info.toc[50] != 124 {
		t.Errorf("TOC[50] = %d, want 124", info.toc[50])
	}
}

// TestInfoFrameSmallFrames: at 8 kbps the frames are too short for the
// tag, so the Info frame alone uses the smallest bitrate whose frames hold
// it.
func TestInfoFrameSmallFrames(t *testing.T) {
	b := encodeToMem(t, testSignal(24000, 24000, 3), Options{SampleRate: 24000, Bitrate: 8, Mode: Mono}, 500)
	// 13 + 156 = 169 bytes; 56 kbps gives 168, 64 kbps 192.
	if got := frameLen(b); got != 192 {
		t.Errorf("Info frame is %d bytes, want 192", got)
	}
	if got := frameLen(b[192:]); got != 24 {
		t.Errorf("first audio frame is %d bytes, want 24", got)
	}
	parseInfo(t, b)
}

// TestUpfrontInfo: with TotalSamples a writer that cannot seek gets the
// same stream as a file, except the music CRC, unknown when the tag is
// written, and the tag CRC over it.
func TestUpfrontInfo(t *testing.T) {
	in := testSignal(30000, 32000, 4)
	opt := Options{SampleRate: 32000, Bitrate: 96, Mode: JointStereo}
	file := encodeToMem(t, in, opt, 777)
	opt.TotalSamples = int64(len(in))
	var buf bytes.Buffer
	encodeTo(t, &buf, in, opt, len(in))
	got := buf.Bytes()
	if len(got) != len(file) {
		t.Fatalf("%d bytes, file %d", len(got), len(file))
	}
	off := 36 + 120
	for i := range got {
		if got[i] != file[i] && (i < off+32 || i >= off+36) {
			t.Fatalf("byte %d differs", i)
		}
	}
	if got[off+32] != 0 || got[off+33] != 0 {
		t.Errorf("music CRC %x, want 0 when written up front", got[off+32:off+34])
	}
}

func TestNoInfoWithoutCounts(t *testing.T) {
	var buf bytes.Buffer
	e, err := NewEncoder(&buf, Options{SampleRate: 48000, Bitrate: 64, Mode: Mono})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(testSignal(10000, 48000, 5)); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if bytes.Contains(b[:200], []byte("Info")) {
		t.Error("Info frame written without counts")
	}
	// (10000 + 1057)/1152 rounds up to 10 frames of 192 bytes.
	if len(b) != 10*192 {
		t.Errorf("%d bytes, want %d", len(b), 10*192)
	}
	if dec := decodeGoMP3(t, b); len(dec) != 10*1152 {
		t.Errorf("decoded %d samples", len(dec))
	}
}

func TestTotalSamplesMismatch(t *testing.T) {
	var buf bytes.Buffer
	e, err := NewEncoder(&buf, Options{SampleRate: 44100, Bitrate: 64, Mode: Mono, TotalSamples: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(make([][2]float64, 4000)); err != nil {
		t.Fatal(err)
	}
	err = e.Close()
	if err == nil || !strings.Contains(err.Error(), "TotalSamples") {
		t.Errorf("Close: %v, want a TotalSamples error", err)
	}
	// On a seekable writer the Info frame is rewritten instead.
	var f memFile
	e, err = NewEncoder(&f, Options{SampleRate: 44100, Bitrate: 64, Mode: Mono, TotalSamples: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(make([][2]float64, 4000)); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// (4000 + 1057)/1152 rounds up to 5 frames.
	if info := parseInfo(t, f.b); info.frames != 5 || info.padding != 5*1152-528-4000 {
		t.Errorf("Info %+v", info)
	}
}

func TestOptionErrors(t *testing.T) {
	cases := []struct {
		name string
		opt  Options
		want string
	}{
		{"rate", Options{SampleRate: 11025, Bitrate: 32}, "sample rate"},
		{"bitrate", Options{SampleRate: 44100, Bitrate: 8}, "bitrate 8"},
		{"lsf bitrate", Options{SampleRate: 24000, Bitrate: 192}, "bitrate 192"},
		{"channels", Options{SampleRate: 44100, Bitrate: 128, Channels: 3}, "3 channels"},
		{"mono stereo", Options{SampleRate: 44100, Bitrate: 128, Channels: 1, Mode: Stereo}, "does not fit"},
		{"stereo mono", Options{SampleRate: 44100, Bitrate: 128, Channels: 2, Mode: Mono}, "does not fit"},
		{"mode", Options{SampleRate: 44100, Bitrate: 128, Mode: 9}, "does not fit"},
		{"total", Options{SampleRate: 44100, Bitrate: 128, TotalSamples: -1}, "negative"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := NewEncoder(io.Discard, c.opt)
			if err == nil || !strings.HasPrefix(err.Error(), "mp3: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

type failWriter struct{ n int }

var errDisk = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errDisk
	}
	w.n--
	return len(p), nil
}

func TestErrorsStick(t *testing.T) {
	e, err := NewEncoder(&failWriter{n: 3}, Options{SampleRate: 44100, Bitrate: 128, TotalSamples: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 100 && werr == nil; i++ {
		werr = e.Write(make([][2]float64, 1000))
	}
	if !errors.Is(werr, errDisk) {
		t.Fatalf("Write: %v, want %v", werr, errDisk)
	}
	if err := e.Write(make([][2]float64, 10)); !errors.Is(err, errDisk) {
		t.Errorf("second Write: %v", err)
	}
	if err := e.Close(); !errors.Is(err, errDisk) {
		t.Errorf("Close: %v", err)
	}
	e, err = NewEncoder(io.Discard, Options{SampleRate: 44100, Bitrate: 128, Mode: Mono})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(make([][2]float64, 10)); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
}

// TestMonoDownmix: a mono encoder codes the mean of both channels.
func TestMonoDownmix(t *testing.T) {
	in := testSignal(20000, 44100, 6)
	half := make([][2]float64, len(in))
	for i, s := range in {
		half[i] = [2]float64{s[0] * 2, 0} // mean is s[0]
	}
	a := decodeGoMP3(t, encodeToMem(t, half, Options{SampleRate: 44100, Bitrate: 96, Mode: Mono}, 4096))
	ref := make([][2]float64, len(in))
	for i, s := range in {
		ref[i] = [2]float64{s[0], s[0]}
	}
	if s := snr(ref, a, 1152+codecDelay, 1); s < 15 {
		t.Errorf("SNR against the mean: %.1f dB", s)
	}
}

// TestClipping: out-of-range, infinite and NaN samples still give a stream
// that decodes, at full scale where the input was beyond it.
func TestClipping(t *testing.T) {
	in := make([][2]float64, 20000)
	for i := range in {
		v := 3 * math.Sin(float64(i)/10)
		switch i % 1000 {
		case 1:
			v = math.NaN()
		case 2:
			v = math.Inf(1)
		case 3:
			v = math.Inf(-1)
		}
		in[i] = [2]float64{v, -v}
	}
	dec := decodeGoMP3(t, encodeToMem(t, in, Options{SampleRate: 44100, Bitrate: 128}, 3000))
	peak := 0.0
	for _, s := range dec {
		peak = max(peak, math.Abs(s[0]))
	}
	if peak < 0.9 {
		t.Errorf("peak %.2f, want near full scale", peak)
	}
}

// plain hides a Stream's Seek: Encode gets a streamer whose length it
// cannot know.
func plain(s *testtool.Stream) beep.Streamer { return struct{ beep.Streamer }{s} }

func TestEncode(t *testing.T) {
	in := testSignal(30000, 22050, 7)
	var f memFile
	if err := Encode(&f, plain(&testtool.Stream{Samples: in}), Options{SampleRate: 22050, Bitrate: 48, Mode: Mono}); err != nil {
		t.Fatal(err)
	}
	if want := encodeToMem(t, in, Options{SampleRate: 22050, Bitrate: 48, Mode: Mono}, 4096); !bytes.Equal(f.b, want) {
		t.Error("Encode and Write give different streams")
	}
	errRead := errors.New("read failed")
	err := Encode(io.Discard, plain(&testtool.Stream{Samples: in, Fail: errRead}), Options{SampleRate: 22050, Bitrate: 48, Mode: Mono})
	if !errors.Is(err, errRead) {
		t.Errorf("Encode with a failing streamer: %v", err)
	}
}

// TestEncodeStreamSeeker: Encode takes the total from a StreamSeeker, so a
// writer that cannot seek gets the same stream as a file (music CRC aside).
func TestEncodeStreamSeeker(t *testing.T) {
	in := testSignal(30000, 44100, 10)
	opt := Options{SampleRate: 44100, Bitrate: 96, Mode: JointStereo}
	var buf bytes.Buffer
	s := &testtool.Stream{Samples: in}
	if err := s.Seek(1000); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&buf, s, opt); err != nil {
		t.Fatal(err)
	}
	info := parseInfoNoCRC(t, buf.Bytes())
	want := parseInfoNoCRC(t, encodeToMem(t, in[1000:], opt, 4096))
	if info.frames != want.frames || info.padding != want.padding || info.bytes != want.bytes {
		t.Errorf("Info %+v, want %+v", info, want)
	}
}

// TestChunking: the stream does not depend on how the input is cut.
func TestChunking(t *testing.T) {
	in := testSignal(50000, 48000, 8)
	opt := Options{SampleRate: 48000, Bitrate: 160, Mode: JointStereo}
	a := encodeToMem(t, in, opt, 1)
	b := encodeToMem(t, in, opt, 4097)
	c := encodeToMem(t, in, opt, len(in))
	if !bytes.Equal(a, b) || !bytes.Equal(b, c) {
		t.Error("streams differ with the chunk size")
	}
}

// TestConcurrentEncoders: encoders share no mutable state, so several
// running at once (pack builds, segment encoding) give exactly what each
// gives alone. Run under -race in CI.
func TestConcurrentEncoders(t *testing.T) {
	const n = 44100 / 2
	input := func(k int) [][2]float64 {
		s := make([][2]float64, n)
		for i := range s {
			x := 0.3 * math.Sin(float64(i)*0.01*float64(k+1))
			s[i] = [2]float64{x, x} // equal channels take the shortcut path
			if k%2 == 1 && i > n/2 {
				s[i][1] = -x
			}
		}
		return s
	}
	encode := func(k int) ([]byte, error) {
		var b bytes.Buffer
		err := Encode(&b, plain(&testtool.Stream{Samples: input(k)}), Options{SampleRate: 44100, Bitrate: 128, Channels: 2})
		return b.Bytes(), err
	}
	const workers = 4
	want := make([][]byte, workers)
	for k := range want {
		b, err := encode(k)
		if err != nil {
			t.Fatal(err)
		}
		want[k] = b
	}
	got := make([][]byte, workers)
	errs := make([]error, workers)
	done := make(chan struct{})
	for k := 0; k < workers; k++ {
		go func() {
			defer func() { done <- struct{}{} }()
			got[k], errs[k] = encode(k)
		}()
	}
	for range workers {
		<-done
	}
	for k := range got {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		if !bytes.Equal(got[k], want[k]) {
			t.Errorf("encoder %d: concurrent output differs from its output alone", k)
		}
	}
}

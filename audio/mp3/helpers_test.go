package mp3

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	gomp3 "github.com/hajimehoshi/go-mp3"
)

// memFile is an in-memory io.WriteSeeker.
type memFile struct {
	b   []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if end := m.pos + len(p); end > len(m.b) {
		m.b = append(m.b, make([]byte, end-len(m.b))...)
	}
	copy(m.b[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *memFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += int64(m.pos)
	case io.SeekEnd:
		off += int64(len(m.b))
	}
	if off < 0 {
		return 0, errors.New("negative seek")
	}
	m.pos = int(off)
	return off, nil
}

// testSignal returns n stereo samples at rate sr: a chord, a beep every half
// second, a noise burst, and a right channel that differs from the left.
func testSignal(n, sr int, seed uint64) [][2]float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][2]float64, n)
	for i := range out {
		t := float64(i) / float64(sr)
		x := 0.2*math.Sin(2*math.Pi*220*t) + 0.1*math.Sin(2*math.Pi*330*t+1) + 0.05*math.Sin(2*math.Pi*1250*t)
		if math.Mod(t, 0.5) < 0.1 {
			x += 0.3 * math.Sin(2*math.Pi*1000*t)
		}
		if math.Mod(t, 0.7) < 0.05 {
			x += 0.2 * (r.Float64()*2 - 1)
		}
		y := 0.7*x + 0.1*math.Sin(2*math.Pi*550*t)
		out[i] = [2]float64{x, y}
	}
	return out
}

// encodeToMem encodes in with opt into an in-memory file (so the Info frame
// is rewritten at Close), writing in chunks of chunk samples.
func encodeToMem(t testing.TB, in [][2]float64, opt Options, chunk int) []byte {
	t.Helper()
	var f memFile
	encodeTo(t, &f, in, opt, chunk)
	return f.b
}

// encodeTo encodes in to w, in writes of chunk samples.
func encodeTo(t testing.TB, w io.Writer, in [][2]float64, opt Options, chunk int) {
	t.Helper()
	e, err := NewEncoder(w, opt)
	if err != nil {
		t.Fatal(err)
	}
	for len(in) > 0 {
		n := min(chunk, len(in))
		if err := e.Write(in[:n]); err != nil {
			t.Fatal(err)
		}
		in = in[n:]
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

// decodeGoMP3 decodes b with go-mp3, which always gives 16-bit stereo.
func decodeGoMP3(t testing.TB, b []byte) [][2]float64 {
	t.Helper()
	d, err := gomp3.NewDecoder(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("go-mp3: %v", err)
	}
	raw, err := io.ReadAll(d)
	if err != nil {
		t.Fatalf("go-mp3: %v", err)
	}
	out := make([][2]float64, len(raw)/4)
	for i := range out {
		l := int16(uint16(raw[4*i]) | uint16(raw[4*i+1])<<8)
		r := int16(uint16(raw[4*i+2]) | uint16(raw[4*i+3])<<8)
		out[i] = [2]float64{float64(l) / 32768, float64(r) / 32768}
	}
	return out
}

// snr returns the signal-to-noise ratio in dB of dec against in over the
// channels used, comparing in[i] with dec[i+lag].
func snr(in, dec [][2]float64, lag, nch int) float64 {
	var s, n float64
	for i := range in {
		if i+lag >= len(dec) {
			break
		}
		for c := 0; c < nch; c++ {
			x := in[i][c]
			if nch == 1 {
				x = (in[i][0] + in[i][1]) / 2
			}
			d := x - dec[i+lag][c]
			s += x * x
			n += d * d
		}
	}
	if n == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(s/n)
}

func itoa(n int) string { return strconv.Itoa(n) }

// sine returns sample i of a unit sine of freq Hz at rate.
func sine(freq float64, i, rate int) float64 {
	return math.Sin(2 * math.Pi * freq * float64(i) / float64(rate))
}

// bitReader reads big-endian bit fields.
type bitReader struct {
	b   []byte
	pos int
}

func (r *bitReader) read(n int) int {
	v := 0
	for i := 0; i < n; i++ {
		v = v<<1 | int(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v
}

// checkReservoir parses the side information of every audio frame (those
// after the Info frame) and checks the bit reservoir as a standard decoder
// sees it: main_data_begin reaches back no further than the main data slots
// of earlier frames, each frame's main data starts after the previous
// frame's ends and fits before its own slots end, and the Huffman fields
// stay within what decoders accept (go-mp3 included).
func checkReservoir(t *testing.T, b []byte) {
	t.Helper()
	pos := frameLen(b) // skip the Info frame
	var slotsSeen int  // main data slots of earlier audio frames
	prevEnd := 0       // main-data position where the previous frame's data ends
	for n := 0; pos < len(b); n++ {
		h := b[pos:]
		l := frameLen(h)
		lsf := h[1]&0x08 == 0
		mono := h[3]>>6 == 3
		nch, ngr := 2, 2
		if mono {
			nch = 1
		}
		if lsf {
			ngr = 1
		}
		side := map[[2]bool]int{{false, false}: 32, {false, true}: 17, {true, false}: 17, {true, true}: 9}[[2]bool{lsf, mono}]
		r := &bitReader{b: h[4 : 4+side]}
		var mdb int
		if lsf {
			mdb = r.read(8)
			r.read(nch)
		} else {
			mdb = r.read(9)
			if mono {
				r.read(5)
			} else {
				r.read(3)
			}
			r.read(4 * nch)
		}
		bits := 0
		for gr := 0; gr < ngr; gr++ {
			for ch := 0; ch < nch; ch++ {
				p23 := r.read(12)
				bv := r.read(9)
				r.read(8) // global gain
				if lsf {
					r.read(9)
				} else {
					r.read(4)
				}
				if r.read(1) != 0 {
					t.Fatalf("frame %d: window switching", n)
				}
				r.read(15)
				r0, r1 := r.read(4), r.read(3)
				if !lsf {
					r.read(1)
				}
				r.read(2)
				if bv > 288 || r0+r1+2 > 22 {
					t.Fatalf("frame %d: big_values %d, region counts %d %d", n, bv, r0, r1)
				}
				bits += p23
			}
		}
		slots := l - 4 - side
		start := slotsSeen - mdb
		if mdb > slotsSeen || start < prevEnd {
			t.Fatalf("frame %d: main_data_begin %d reaches before the available data (%d slots seen, previous data ends at %d)", n, mdb, slotsSeen, prevEnd)
		}
		end := start + (bits+7)/8
		if end > slotsSeen+slots {
			t.Fatalf("frame %d: %d bits of main data overflow the frame", n, bits)
		}
		prevEnd = end
		slotsSeen += slots
		pos += l
	}
}

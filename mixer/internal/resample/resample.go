// Package resample plays a source looped end to end forever, resampled to
// another rate, and computes every output sample from its absolute position
// alone, so that a seek lands on exactly the samples a read from the start
// gives. (beep.Resample keeps a running fractional position instead, which a
// seek cannot reproduce.)
package resample

import (
	"errors"
	"fmt"
	"math"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// Looper renders the looped, resampled source. Output sample n is the
// band-limited (Kaiser-windowed sinc) interpolation of the looped source at
// n*from/to source samples; the source wraps seamlessly, so sample -1 is its
// last sample.
type Looper struct {
	src      beep.StreamSeeker
	n        int // source length
	up, down int // output n is at source position n*down/up
	half     int // taps on each side of the interpolation point
	phases   int // rows of table
	table    []float64

	store    [][2]float64 // backing array of buf
	buf      [][2]float64 // source at unwrapped indices [bufStart, bufStart+len(buf))
	bufStart int
}

// maxPhases bounds the table: rate pairs with more distinct phases than this
// (unusual rates) share the nearest of maxPhases phases, still exactly
// repeatable.
const maxPhases = 4096

// New returns a Looper over src, which streams at rate from, playing at rate to.
func New(src beep.StreamSeeker, from, to beep.SampleRate) (*Looper, error) {
	if from <= 0 || to <= 0 {
		return nil, fmt.Errorf("resample: bad rates %d to %d Hz", from, to)
	}
	n := src.Len()
	if n <= 0 {
		return nil, errors.New("resample: the source is empty or its length is unknown")
	}
	g := gcd(int(from), int(to))
	l := &Looper{src: src, n: n, up: int(to) / g, down: int(from) / g}
	if l.up != l.down {
		fc := 0.95 * min(1, float64(l.up)/float64(l.down)) // cutoff, relative to the source's Nyquist frequency
		l.half = int(math.Ceil(16 / fc))
		l.phases = min(l.up, maxPhases)
		l.table = dsp.KaiserSinc(l.phases, l.half, fc, 8)
	}
	l.store = make([][2]float64, 16384+2*l.half+2)
	return l, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// Fill writes output samples pos, pos+1, ... into dst.
func (l *Looper) Fill(dst [][2]float64, pos int) error {
	if pos < 0 {
		return fmt.Errorf("resample: negative position %d", pos)
	}
	if l.up == l.down {
		for len(dst) > 0 {
			m := min(len(dst), len(l.store))
			if err := l.ensure(pos, pos+m); err != nil {
				return err
			}
			copy(dst[:m], l.buf[pos-l.bufStart:])
			dst, pos = dst[m:], pos+m
		}
		return nil
	}
	// Split dst so that each piece's source window fits the buffer.
	span := len(l.store) - 2*l.half - 2
	piece := max(1, span*l.up/l.down)
	for len(dst) > 0 {
		m := min(len(dst), piece)
		first := pos * l.down / l.up
		last := (pos + m - 1) * l.down / l.up
		if err := l.ensure(first-l.half+1, last+l.half+1); err != nil {
			return err
		}
		taps := 2 * l.half
		for j := range dst[:m] {
			n := pos + j
			t := n * l.down
			i := t / l.up
			p := t % l.up
			if l.phases != l.up {
				p = p * l.phases / l.up
			}
			row := l.table[p*taps : (p+1)*taps]
			win := l.buf[i-l.half+1-l.bufStart:]
			var a, b float64
			for k, h := range row {
				a += h * win[k][0]
				b += h * win[k][1]
			}
			dst[j] = [2]float64{a, b}
		}
		dst, pos = dst[m:], pos+m
	}
	return nil
}

// ensure makes buf hold the looped source at unwrapped indices [lo, hi).
func (l *Looper) ensure(lo, hi int) error {
	end := l.bufStart + len(l.buf)
	if lo >= l.bufStart && hi <= end {
		return nil
	}
	if hi-lo > len(l.store) {
		panic("resample: window larger than the buffer")
	}
	if lo >= l.bufStart && lo <= end {
		// Moving forward: keep what is still needed.
		k := copy(l.store, l.buf[lo-l.bufStart:])
		l.buf = l.store[:k]
	} else {
		l.buf = l.store[:0]
	}
	l.bufStart = lo
	return l.read(hi)
}

// read extends buf up to unwrapped index hi, from the source.
func (l *Looper) read(hi int) error {
	for u := l.bufStart + len(l.buf); u < hi; {
		q := ((u % l.n) + l.n) % l.n
		if l.src.Position() != q {
			if err := l.src.Seek(q); err != nil {
				return fmt.Errorf("resample: seek to %d: %w", q, err)
			}
		}
		want := min(hi-u, l.n-q)
		k := len(l.buf)
		l.buf = l.store[:k+want]
		got := 0
		for got < want {
			m, ok := l.src.Stream(l.buf[k+got:])
			got += m
			if !ok || m == 0 {
				break
			}
		}
		if got < want {
			if err := l.src.Err(); err != nil {
				return fmt.Errorf("resample: %w", err)
			}
			return fmt.Errorf("resample: the source ended at %d of the %d samples it claims", q+got, l.n)
		}
		u += want
	}
	return nil
}

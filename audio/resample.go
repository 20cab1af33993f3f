package audio

import (
	"fmt"
	"math"
	"sync"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
)

// ResampledLen is the number of samples Resample gives for n source samples:
// ceil(n·to/from).
func ResampledLen(n int, from, to beep.SampleRate) int {
	if from == to {
		return n
	}
	return int((int64(n)*int64(to) + int64(from) - 1) / int64(from))
}

// Resample converts in-memory samples from one rate to another with a
// polyphase Kaiser-windowed sinc: output sample n is the band-limited
// interpolation of the input at n·from/to, the first sample held before
// the input (so that a clip starts at its own level) and silence after it
// (so that it ends in a fade).
// Only the first channels channels are computed; with 1 both output
// channels are the first. A clip of narration is resampled once, whole, so
// speed matters more here than streaming: each output sample costs one row
// of taps, with no per-sample trigonometry.
func Resample(in [][2]float64, channels int, from, to beep.SampleRate) [][2]float64 {
	if from <= 0 || to <= 0 {
		panic(fmt.Sprintf("audio: Resample from %d Hz to %d Hz", from, to))
	}
	if from == to {
		return append([][2]float64(nil), in...)
	}
	out := make([][2]float64, ResampledLen(len(in), from, to))
	ch := make([]float64, len(in))
	for c := range channels {
		for i, v := range in {
			ch[i] = v[c]
		}
		for i, v := range ResampleMono(ch, from, to) {
			out[i][c] = v
			if channels == 1 {
				out[i][1] = v
			}
		}
	}
	return out
}

// ResampleMono is Resample for one channel.
func ResampleMono(in []float64, from, to beep.SampleRate) []float64 {
	if from <= 0 || to <= 0 {
		panic(fmt.Sprintf("audio: Resample from %d Hz to %d Hz", from, to))
	}
	if from == to {
		return append([]float64(nil), in...)
	}
	out := make([]float64, ResampledLen(len(in), from, to))
	kernelFor(int(from), int(to)).resample(in, out, 0)
	return out
}

// resample stores in out output samples n0, n0+1, ... of in resampled with
// k: pieces of the output can be made apart, in a small buffer.
func (k *kernel) resample(in, out []float64, n0 int) {
	n2 := 2 * k.half
	for j := range out {
		n := n0 + j
		num := int64(n) * int64(k.down)
		i := int(num / int64(k.up)) // source sample at or before the point
		p := int(num % int64(k.up)) // the point's phase
		if k.phases != k.up {
			p = int((int64(p)*int64(k.phases) + int64(k.up)/2) / int64(k.up))
			if p == k.phases {
				p, i = 0, i+1
			}
		}
		row := k.table[p*n2 : (p+1)*n2]
		lo := i - k.half + 1 // source index of row[0]
		var a float64
		if lo >= 0 && lo+n2 <= len(in) {
			w := in[lo : lo+n2]
			for t, c := range row {
				a += c * w[t]
			}
		} else {
			for t, c := range row {
				j := max(0, lo+t) // the first sample held before the start
				if j >= len(in) {
					break
				}
				a += c * in[j]
			}
		}
		out[j] = a
	}
}

// kernel is the interpolation table for one pair of rates.
type kernel struct {
	up, down int // output n sits at source position n·down/up
	phases   int // rows of table: up, or maxPhases (the nearest row is used)
	half     int
	table    []float64
}

// Kernels are kept: a voice's clips share one pair of rates.
var (
	kernelsMu sync.Mutex
	kernels   = map[[2]int]*kernel{}
)

// maxPhases bounds a table; rate pairs with more phases (unusual rates)
// interpolate at the nearest of maxPhases fractions.
const maxPhases = 4096

func kernelFor(from, to int) *kernel {
	kernelsMu.Lock()
	defer kernelsMu.Unlock()
	if k, ok := kernels[[2]int{from, to}]; ok {
		return k
	}
	a, b := from, to
	for b != 0 {
		a, b = b, a%b
	}
	k := &kernel{up: to / a, down: from / a}
	k.phases = min(k.up, maxPhases)
	// Cut-off just under the lower Nyquist frequency; 12 zero crossings of
	// the sinc each side at the source rate (more when downsampling).
	fc := 0.95 * min(1, float64(to)/float64(from))
	k.half = int(math.Ceil(12 / fc))
	k.table = dsp.KaiserSinc(k.phases, k.half, fc, 8)
	kernels[[2]int{from, to}] = k
	return k
}

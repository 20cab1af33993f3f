package mixer

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/gopxl/beep/v2"

	"routinecast/audio/loudness"
	"routinecast/internal/dsp"
)

// The built-in music beds are slow pads made by the program: no file to
// bring, and the same samples on every machine. A bed is one loop of
// bedSeconds, each partial a whole number of cycles long over the loop and
// each slow swell of its level a whole number of swells, so that the loop's
// last sample runs on into its first as the sum would run on in time: no
// seam. The loop is computed once per bed (bedRate samples a second) and
// kept, about 8 MB each; the mixer resamples and loops it like a file.
const (
	bedRate    = 44100
	bedSeconds = 48
	bedLen     = bedRate * bedSeconds
)

// A bedVoice is one note of a pad: its pitch, weight, how many times its
// level swells over a loop and where in the swell it starts, and its pan
// (-1 left to 1 right).
type bedVoice struct {
	hz, weight float64
	swells     int
	phase      float64
	pan        float64
}

// bedDesign is a bed: its notes and how deep their swells go (0 steady, 1
// down to silence).
type bedDesign struct {
	about  string
	voices []bedVoice
	depth  float64
}

// The beds. calm holds one warm chord (D major, open voicing) whose notes
// swell in turn; ambient moves between two chords (C major 7 and A minor
// 9) twice a loop, each note fading with the chords it belongs to.
var bedDesigns = map[string]bedDesign{
	"calm": {
		about: "a warm, steady D major pad whose notes swell in turn",
		depth: 0.6,
		voices: []bedVoice{
			{73.42, 1.0, 1, 0, 0}, {146.83, 0.8, 2, 0.25, -0.3}, {220.00, 0.6, 3, 0.5, 0.3},
			{293.66, 0.45, 2, 0.75, -0.2}, {369.99, 0.35, 3, 0.1, 0.4}, {440.00, 0.25, 4, 0.6, -0.4},
			{587.33, 0.12, 5, 0.3, 0.2},
		},
	},
	"ambient": {
		about: "two soft chords (C major 7, A minor 9) that drift into each other every 12 s",
		depth: 1,
		// swells 2 with phase 0 or 0.5: the notes of one chord rise as the
		// other's fall; the notes both chords share (C, E, G, B) hold.
		voices: []bedVoice{
			{65.41, 0.9, 2, 0, 0}, {110.00, 0.9, 2, 0.5, 0},
			{130.81, 0.6, 0, 0, -0.3}, {164.81, 0.5, 0, 0, 0.3}, {196.00, 0.45, 0, 0, -0.2},
			{246.94, 0.35, 0, 0, 0.2}, {220.00, 0.3, 2, 0.5, 0.4}, {261.63, 0.25, 2, 0, -0.4},
			{493.88, 0.1, 3, 0.2, 0.3},
		},
	},
}

// BedNames are the built-in music beds, sorted.
func BedNames() []string {
	var names []string
	for n := range bedDesigns {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// BedAbout says what a built-in bed sounds like, or "" for no such bed.
func BedAbout(name string) string { return bedDesigns[name].about }

// Bed is the built-in music bed of that name, as a MusicSource, and whether
// there is one.
func Bed(name string) (MusicSource, bool) {
	if _, ok := bedDesigns[name]; !ok {
		return nil, false
	}
	return MusicFunc(func() (beep.StreamSeekCloser, beep.Format, error) {
		loop, err := bedLoop(name)
		if err != nil {
			return nil, beep.Format{}, err
		}
		return &bedStream{loop: loop}, beep.Format{SampleRate: bedRate, NumChannels: 2, Precision: 2}, nil
	}), true
}

// bedLevel is the bed's loudness as it is made: like a mastered music file
// (the bed is then played Music.Level under it).
const bedLevel = -16.0 // LUFS

// bedPeak is the most the bed's samples reach: a pad's low notes weigh
// little in its loudness, and the gain to bedLevel must not push them over.
const bedPeak = 0.9

var (
	bedMu    sync.Mutex
	bedLoops = map[string][][2]float32{}
)

// bedLoop returns the loop of a bed, making it the first time.
func bedLoop(name string) ([][2]float32, error) {
	bedMu.Lock()
	defer bedMu.Unlock()
	if l, ok := bedLoops[name]; ok {
		return l, nil
	}
	d, ok := bedDesigns[name]
	if !ok {
		return nil, fmt.Errorf("mixer: no music bed %q", name)
	}
	x := d.render()
	m := loudness.NewMeter(bedRate, 2)
	m.Write(x)
	g := dsp.Gain(bedLevel - m.Integrated())
	// A file's samples stay within ±1; so do the bed's.
	var peak float64
	for _, v := range x {
		peak = max(peak, math.Abs(v[0]), math.Abs(v[1]))
	}
	g = min(g, bedPeak/peak)
	loop := make([][2]float32, bedLen)
	for n, v := range x {
		loop[n] = [2]float32{float32(v[0] * g), float32(v[1] * g)}
	}
	bedLoops[name] = loop
	return loop, nil
}

// sample is the bed at sample n, for any n: a function of n mod bedLen
// only, up to rounding. render makes the loop faster, to the same values.
func (d bedDesign) sample(n int) [2]float64 {
	t := float64(n) / bedLen // loops
	var l, r float64
	for _, v := range d.voices {
		cycles := math.Round(v.hz * bedSeconds) // whole cycles a loop
		ph := cycles * t
		ph -= math.Floor(ph)
		// A soft tone: the note and a little of its octave.
		s := sinTurns(ph) + 0.2*sinTurns(2*ph-math.Floor(2*ph))
		g := v.weight
		if v.swells > 0 {
			sw := float64(v.swells)*t + v.phase
			g *= 1 - d.depth*(0.5+0.5*sinTurns(sw-math.Floor(sw)))
		}
		s *= g
		l += s * (1 - v.pan) / 2
		r += s * (1 + v.pan) / 2
	}
	return [2]float64{l, r}
}

// bedSync is how often render sets its oscillators from sample's
// formula: in between they turn by a rotation a sample, whose rounding
// drifts by less than 1e-12 over that many samples.
const bedSync = 4096

// render is sample(0), ..., sample(bedLen-1), to within 1e-9, made some ten
// times faster: each note is a phasor turned a step each sample (its octave
// is 2·sin·cos of it), and the slow swells are computed every envStep
// samples with straight lines between (a swell lasts seconds).
func (d bedDesign) render() [][2]float64 {
	x := make([][2]float64, bedLen)
	for _, v := range d.voices {
		cycles := math.Round(v.hz * bedSeconds)
		w := 2 * math.Pi * cycles / bedLen
		rc, rs := math.Cos(w), math.Sin(w)
		gl, gr := v.weight*(1-v.pan)/2, v.weight*(1+v.pan)/2
		gain := func(n int) float64 {
			if v.swells == 0 {
				return 1
			}
			sw := float64(v.swells)*float64(n)/bedLen + v.phase
			return 1 - d.depth*(0.5+0.5*sinTurns(sw-math.Floor(sw)))
		}
		var c, s float64
		for a := 0; a < bedLen; a += envStep {
			ga, gb := gain(a), gain(a+envStep)
			for n := a; n < min(a+envStep, bedLen); n++ {
				if n%bedSync == 0 {
					ph := cycles * float64(n) / bedLen
					ph -= math.Floor(ph)
					s, c = math.Sincos(2 * math.Pi * ph)
				}
				g := ga + (gb-ga)*float64(n-a)/envStep
				y := (s + 0.2*2*s*c) * g
				x[n][0] += y * gl
				x[n][1] += y * gr
				c, s = c*rc-s*rs, s*rc+c*rs
			}
		}
	}
	return x
}

// bedStream plays one loop of a bed.
type bedStream struct {
	loop [][2]float32
	pos  int
}

func (b *bedStream) Stream(dst [][2]float64) (int, bool) {
	n := min(len(dst), len(b.loop)-b.pos)
	if n <= 0 {
		return 0, false
	}
	for j, v := range b.loop[b.pos : b.pos+n] {
		dst[j] = [2]float64{float64(v[0]), float64(v[1])}
	}
	b.pos += n
	return n, true
}

func (b *bedStream) Err() error    { return nil }
func (b *bedStream) Len() int      { return len(b.loop) }
func (b *bedStream) Position() int { return b.pos }
func (b *bedStream) Close() error  { return nil }

func (b *bedStream) Seek(p int) error {
	if p < 0 || p > len(b.loop) {
		return fmt.Errorf("mixer: music bed: seek to %d outside [0, %d]", p, len(b.loop))
	}
	b.pos = p
	return nil
}

package mixer

import (
	"fmt"
	"math"
	"sort"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/dsp"
	"routinecast/mixer/internal/resample"
)

// musicBed plays the music source looped over the whole track, resampled to
// the track's rate, faded in and out, and ducked under the voice. The ducking
// is computed from the timeline's lines, known in advance, so every sample is
// a function of its position: the bed starts going down Attack before a line
// and is fully down when the line starts, and comes back over Release after it.
type musicBed struct {
	playhead
	src     beep.StreamSeekCloser
	loop    *resample.Looper
	level   float64 // dB where the voice is silent
	depth   float64 // dB of ducking
	attack  int
	release int
	fadeIn  int
	fadeOut int
	// Gains at no and full ducking, so that only the ramps need math.Pow.
	g0, g1 float64
}

var _ beep.StreamSeeker = (*musicBed)(nil)

func newMusicBed(tl *Timeline) (*musicBed, error) {
	m := tl.Options.Music
	src, f, err := m.Source.Open()
	if err != nil {
		return nil, fmt.Errorf("mixer: music: %w", err)
	}
	loop, err := resample.New(src, f.SampleRate, tl.SampleRate)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("mixer: music: %w", err)
	}
	n := tl.SampleRate.N
	return &musicBed{
		playhead: playhead{tl: tl}, src: src, loop: loop,
		level: m.Level, depth: m.Depth,
		attack: n(m.Attack), release: n(m.Release),
		fadeIn: n(m.FadeIn), fadeOut: n(m.FadeOut),
		g0: dsp.Gain(m.Level), g1: dsp.Gain(m.Level + m.Depth),
	}, nil
}

func (m *musicBed) Close() error { return m.src.Close() }

func (m *musicBed) Stream(dst [][2]float64) (int, bool) {
	n := m.ahead(len(dst))
	if n == 0 {
		return 0, false
	}
	dst = dst[:n]
	if err := m.loop.Fill(dst, m.pos); err != nil {
		m.err = fmt.Errorf("mixer: music: %w", err)
		return 0, false
	}
	line := sort.Search(len(m.tl.Lines), func(i int) bool { return m.tl.Lines[i].Start > m.pos })
	for j := range dst {
		p := m.pos + j
		for line < len(m.tl.Lines) && m.tl.Lines[line].Start <= p {
			line++
		}
		g := m.gain(p, line)
		dst[j][0] *= g
		dst[j][1] *= g
	}
	m.pos += n
	return n, true
}

// gain is the bed's gain at sample p: level, ducking and fades. next is the
// index of the first line starting after p.
func (m *musicBed) gain(p, next int) float64 {
	var g float64
	switch d := m.duck(p, next); d {
	case 0:
		g = m.g0
	case 1:
		g = m.g1
	default:
		g = dsp.Gain(m.level + m.depth*d)
	}
	if p < m.fadeIn {
		g *= rc(float64(p) / float64(m.fadeIn))
	}
	if r := m.tl.Length - p; r < m.fadeOut {
		g *= rc(float64(r) / float64(m.fadeOut))
	}
	return g
}

// duck is how far down the bed is at sample p, from 0 (not at all) to 1
// (fully). Only the line starting next (j) and the line before it can matter:
// an earlier line's release ended no later than the later line's, and a later
// line's attack starts no earlier.
func (m *musicBed) duck(p, j int) float64 {
	lines := m.tl.Lines
	d := 0.0
	if j < len(lines) && m.attack > 0 {
		if k := lines[j].Start - p; k < m.attack {
			d = rc(1 - float64(k)/float64(m.attack))
		}
	}
	if j > 0 {
		l := lines[j-1]
		switch {
		case p < l.End:
			return 1
		case p-l.End < m.release:
			d = math.Max(d, rc(1-float64(p-l.End)/float64(m.release)))
		}
	}
	return d
}

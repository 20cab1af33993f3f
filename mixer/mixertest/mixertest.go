// Package mixertest provides a stand-in voice for tests and benchmarks of the
// mixer and of what uses it: clips whose length depends only on the words of
// a line, filled with speech-like noise, so that timelines are deterministic
// without a speech engine.
package mixertest

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"
)

// Clips implements mixer.Clips. Each clip is Lead plus PerWord for every word
// of the line, of noise low-passed at 3 kHz, in syllable-rate bursts (about
// four a second), at about Level RMS, faded in and out over 10 ms. Like a
// real voice, a clip is made whole in memory (on its first read). The
// counters let tests check how the mixer opens and closes clips. A Clips is
// safe for concurrent use, as the mixer's measuring pass needs; read the
// counters once the work is done.
type Clips struct {
	SampleRate beep.SampleRate // default 44100
	Lead       time.Duration   // default 250 ms
	PerWord    time.Duration   // default 300 ms
	Level      float64         // default 0.1

	Opens   int // clips opened so far
	OpenNow int // clips open now
	MaxOpen int // most clips open at once

	mu       sync.Mutex // guards the counters and the norm
	norm     float64    // lpNorm for normRate
	normRate beep.SampleRate
}

func (c *Clips) defaults() {
	if c.SampleRate == 0 {
		c.SampleRate = 44100
	}
	if c.Lead == 0 {
		c.Lead = 250 * time.Millisecond
	}
	if c.PerWord == 0 {
		c.PerWord = 300 * time.Millisecond
	}
	if c.Level == 0 {
		c.Level = 0.1
	}
}

// Len is the length in samples of the clip of text.
func (c *Clips) Len(text string) int {
	c.defaults()
	return c.SampleRate.N(c.Lead + time.Duration(len(strings.Fields(text)))*c.PerWord)
}

// Open makes the clip of text.
func (c *Clips) Open(text string) (beep.StreamSeekCloser, error) {
	if text == "" {
		return nil, errors.New("mixertest: no text")
	}
	n := c.Len(text)
	c.mu.Lock()
	c.Opens++
	c.OpenNow++
	c.MaxOpen = max(c.MaxOpen, c.OpenNow)
	c.mu.Unlock()
	return &clip{n: n, owner: c, text: text}, nil
}

// synth makes the samples of a clip: on its first read, not at Open, so that
// opening a clip only to learn its length (as mixer.Compile does) is cheap.
func (c *Clips) synth(text string, n int) [][2]float64 {
	h := fnv.New64a()
	h.Write([]byte(text))
	seed := h.Sum64()
	s := make([][2]float64, n)
	sr := float64(c.SampleRate)
	fade := int(sr / 100)
	// Two one-pole low-passes at 3 kHz: speech has little energy up high
	// (and white noise would be an unfair test of true-peak meters).
	a := 1 - math.Exp(-2*math.Pi*3000/sr)
	lp1, lp2 := 0.0, 0.0
	c.mu.Lock()
	if c.normRate != c.SampleRate {
		c.norm, c.normRate = lpNorm(a), c.SampleRate
	}
	norm := c.norm
	c.mu.Unlock()
	for i := range s {
		// Three uniform values summed: close enough to Gaussian noise.
		v := 0.0
		for k := uint64(0); k < 3; k++ {
			v += unit(seed ^ (uint64(i)*3+k)*0x9E3779B97F4A7C15)
		}
		lp1 += a * (v - lp1)
		lp2 += a * (lp1 - lp2)
		t := float64(i) / sr
		env := 0.25 + 0.75*math.Abs(math.Sin(math.Pi*4*t))
		if i < fade {
			env *= float64(i) / float64(fade)
		}
		if r := n - 1 - i; r < fade {
			env *= float64(r) / float64(fade)
		}
		x := c.Level * norm * lp2 * env
		s[i] = [2]float64{x, x}
	}
	return s
}

// lpNorm is the gain that brings the two low-passes' output back to the RMS
// of their input (three summed uniforms: variance 1), from their impulse
// response's energy.
func lpNorm(a float64) float64 {
	e, h1, h2 := 0.0, 1.0, 0.0
	for k := 0; k < 1<<16; k++ {
		x := 0.0
		if k == 0 {
			x = 1
		}
		if k == 0 {
			h1 = a * x
		} else {
			h1 += a * (x - h1)
		}
		h2 += a * (h1 - h2)
		e += h2 * h2
	}
	return 1 / math.Sqrt(e)
}

// unit maps a 64-bit value to a pseudo-random number in [-1, 1) (SplitMix64's finaliser).
func unit(z uint64) float64 {
	z += 0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	z ^= z >> 31
	return float64(z>>11)/float64(1<<52) - 1
}

type clip struct {
	n      int
	s      [][2]float64 // made on the first read
	pos    int
	closed bool
	owner  *Clips
	text   string
	err    error
}

func (c *clip) Stream(dst [][2]float64) (int, bool) {
	if c.closed {
		c.err = fmt.Errorf("mixertest: clip %q read after Close", c.text)
		return 0, false
	}
	if c.s == nil {
		c.s = c.owner.synth(c.text, c.n)
	}
	n := copy(dst, c.s[c.pos:])
	c.pos += n
	return n, n > 0
}
func (c *clip) Err() error    { return c.err }
func (c *clip) Len() int      { return c.n }
func (c *clip) Position() int { return c.pos }
func (c *clip) Seek(p int) error {
	if p < 0 || p > c.n {
		return fmt.Errorf("mixertest: seek to %d outside [0, %d]", p, c.n)
	}
	c.pos = p
	return nil
}
func (c *clip) Close() error {
	if c.closed {
		return fmt.Errorf("mixertest: clip %q closed twice", c.text)
	}
	c.closed = true
	c.s = nil
	c.owner.mu.Lock()
	c.owner.OpenNow--
	c.owner.mu.Unlock()
	return nil
}

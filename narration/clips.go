package narration

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
)

// ClipSet opens a voice's clips at one sample rate. It satisfies the mixer's
// Clips interface, and is safe for concurrent use.
type ClipSet struct {
	v  *Voice
	sr beep.SampleRate

	// A routine says the same lines many times, and an export renders the
	// track several times (loudness passes): decoded clips are kept, as 16-bit
	// mono at the set's rate, up to a bound.
	mu     sync.Mutex
	cache  map[string][]int16
	cached int // samples held in cache
}

// Bounds of a ClipSet's cache: clips up to cacheClip long, up to cacheTotal
// of audio in all (64 MiB at 44.1 kHz; the embedded voice takes 28).
const (
	cacheClip  = 30 * time.Second
	cacheTotal = 12 * time.Minute
)

// Clips returns the voice's clips as streams at sample rate sr.
func (v *Voice) Clips(sr beep.SampleRate) *ClipSet {
	return &ClipSet{v: v, sr: sr, cache: map[string][]int16{}}
}

// Open decodes the clip of a line whole, at the set's sample rate, and
// returns a fresh in-memory stream of it: Len is exact, Seek is free, and
// Close releases nothing but may be called. A line with no clip is an error
// naming the line.
func (c *ClipSet) Open(text string) (beep.StreamSeekCloser, error) {
	name, ok := c.v.ClipFile(text)
	if !ok {
		where := "the embedded voice"
		if c.v.dir != "" {
			where = c.v.dir
		}
		return nil, fmt.Errorf("narration: %s has no clip of the line %q: render it with 'routinecast voice render ROUTINE --voice DIR'", where, text)
	}
	c.mu.Lock()
	pcm, ok := c.cache[name]
	c.mu.Unlock()
	if ok {
		return &pcmStream{s: pcm}, nil
	}
	clip, err := loadFS(c.v.fsys, name, c.sr)
	if err != nil {
		return nil, err
	}
	pcm = toPCM16(clip.Samples)
	if n := len(pcm); n <= c.sr.N(cacheClip) {
		c.mu.Lock()
		if _, dup := c.cache[name]; !dup && c.cached+n <= c.sr.N(cacheTotal) {
			c.cache[name] = pcm
			c.cached += n
		}
		c.mu.Unlock()
	}
	return &pcmStream{s: pcm}, nil
}

// toPCM16 keeps a mono clip as 16-bit samples: a quarter of the memory of
// beep's float pairs, and no audible change for clips that came from 16-bit
// recordings or MP3 at speech levels.
func toPCM16(samples [][2]float64) []int16 {
	out := make([]int16, len(samples))
	for i, v := range samples {
		x := math.Round(v[0] * 32767)
		out[i] = int16(max(-32768, min(32767, x)))
	}
	return out
}

// pcmStream plays 16-bit mono samples as beep's stereo pairs.
type pcmStream struct {
	s   []int16
	pos int
}

var _ beep.StreamSeekCloser = (*pcmStream)(nil)

func (p *pcmStream) Stream(dst [][2]float64) (int, bool) {
	n := min(len(dst), len(p.s)-p.pos)
	for i, v := range p.s[p.pos : p.pos+n] {
		x := float64(v) / 32767
		dst[i] = [2]float64{x, x}
	}
	p.pos += n
	return n, n > 0
}

func (p *pcmStream) Err() error    { return nil }
func (p *pcmStream) Len() int      { return len(p.s) }
func (p *pcmStream) Position() int { return p.pos }
func (p *pcmStream) Close() error  { return nil }

func (p *pcmStream) Seek(n int) error {
	if n < 0 || n > len(p.s) {
		return fmt.Errorf("narration: clip: seek to %d out of range [0, %d]", n, len(p.s))
	}
	p.pos = n
	return nil
}

// ClipLen returns the length of a line's clip at the set's sample rate,
// reading only the file's header (the mixer lays out a timeline with it,
// without decoding every clip).
func (c *ClipSet) ClipLen(text string) (int, error) {
	name, ok := c.v.ClipFile(text)
	if !ok {
		s, err := c.Open(text) // the same error as Open
		if err == nil {
			s.Close()
		}
		return 0, err
	}
	data, err := c.v.readClip(name)
	if err != nil {
		return 0, fmt.Errorf("narration: %w", err)
	}
	rs := readSeekNopCloser{bytes.NewReader(data)}
	s, format, err := audio.Decode(rs, name)
	if err != nil {
		return 0, fmt.Errorf("narration: %w", err)
	}
	defer s.Close()
	return audio.ResampledLen(s.Len(), format.SampleRate, c.sr), nil
}

// loadFS decodes a whole clip file from fsys into memory at sample rate sr.
func loadFS(fsys fs.FS, name string, sr beep.SampleRate) (*audio.Clip, error) {
	data, err := readClipFS(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	s, format, err := audio.Decode(readSeekNopCloser{bytes.NewReader(data)}, name)
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	defer s.Close()
	c, err := audio.Load(s, format.SampleRate, sr, 1)
	if err != nil {
		return nil, fmt.Errorf("narration: %s: %w", name, err)
	}
	return c, nil
}

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

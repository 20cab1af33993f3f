package narration

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
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

	// Short clips (counts, "Breathe in.") come back many times in a
	// routine: they are kept decoded, up to a bound.
	mu     sync.Mutex
	cache  map[string]*audio.Clip
	cached int // samples held in cache
}

// Bounds of a ClipSet's cache: clips up to cacheClip long, up to cacheTotal
// of audio in all (about 10 MB at 44.1 kHz).
const (
	cacheClip  = 3 * time.Second
	cacheTotal = 15 * time.Second
)

// Clips returns the voice's clips as streams at sample rate sr.
func (v *Voice) Clips(sr beep.SampleRate) *ClipSet {
	return &ClipSet{v: v, sr: sr, cache: map[string]*audio.Clip{}}
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
	clip, ok := c.cache[name]
	c.mu.Unlock()
	if ok {
		return nopCloser{clip.Streamer()}, nil
	}
	clip, err := loadFS(c.v.fsys, name, c.sr)
	if err != nil {
		return nil, err
	}
	if n := clip.Len(); n <= c.sr.N(cacheClip) {
		c.mu.Lock()
		if _, dup := c.cache[name]; !dup && c.cached+n <= c.sr.N(cacheTotal) {
			c.cache[name] = clip
			c.cached += n
		}
		c.mu.Unlock()
	}
	return nopCloser{clip.Streamer()}, nil
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
	f, err := c.v.fsys.Open(name)
	if err != nil {
		return 0, fmt.Errorf("narration: %w", err)
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeekCloser)
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			return 0, fmt.Errorf("narration: %w", err)
		}
		rs = readSeekNopCloser{bytes.NewReader(data)}
	}
	s, format, err := audio.Decode(rs, name)
	if err != nil {
		return 0, fmt.Errorf("narration: %w", err)
	}
	defer s.Close()
	return audio.ResampledLen(s.Len(), format.SampleRate, c.sr), nil
}

type nopCloser struct{ beep.StreamSeeker }

func (nopCloser) Close() error { return nil }

// loadFS decodes a whole clip file from fsys into memory at sample rate sr.
func loadFS(fsys fs.FS, name string, sr beep.SampleRate) (*audio.Clip, error) {
	data, err := fs.ReadFile(fsys, name)
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

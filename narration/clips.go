package narration

import (
	"bytes"
	"fmt"
	"io/fs"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
)

// ClipSet opens a voice's clips at one sample rate. It satisfies the mixer's
// Clips interface.
type ClipSet struct {
	v  *Voice
	sr beep.SampleRate
}

// Clips returns the voice's clips as streams at sample rate sr.
func (v *Voice) Clips(sr beep.SampleRate) *ClipSet { return &ClipSet{v: v, sr: sr} }

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
	clip, err := loadFS(c.v.fsys, name, c.sr)
	if err != nil {
		return nil, err
	}
	return nopCloser{clip.Streamer()}, nil
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

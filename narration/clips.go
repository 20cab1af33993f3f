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

// resampleQuality is beep's resampling quality for clips: speech resampled
// once per line, where quality costs little.
const resampleQuality = 6

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
	samples, format, err := decodeFS(c.v.fsys, name)
	if err != nil {
		return nil, err
	}
	if format.SampleRate != c.sr {
		samples, err = resample(samples, format.SampleRate, c.sr)
		if err != nil {
			return nil, fmt.Errorf("narration: clip %s: %w", name, err)
		}
	}
	return &memStream{samples: samples}, nil
}

// decodeFS decodes a whole clip file from fsys into memory.
func decodeFS(fsys fs.FS, name string) ([][2]float64, beep.Format, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("narration: %w", err)
	}
	s, format, err := audio.Decode(nopCloser{bytes.NewReader(data)}, name)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("narration: %w", err)
	}
	defer s.Close()
	samples, err := readAll(s)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("narration: %s: %w", name, err)
	}
	return samples, format, nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// readAll drains a streamer.
func readAll(s beep.Streamer) ([][2]float64, error) {
	var out [][2]float64
	if l, ok := s.(beep.StreamSeeker); ok && l.Len() > 0 {
		out = make([][2]float64, 0, l.Len())
	}
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			break
		}
	}
	return out, s.Err()
}

// resample converts samples from one rate to another.
func resample(samples [][2]float64, from, to beep.SampleRate) ([][2]float64, error) {
	return readAll(beep.Resample(resampleQuality, from, to, &memStream{samples: samples}))
}

// memStream plays samples held in memory.
type memStream struct {
	samples [][2]float64
	pos     int
}

var _ beep.StreamSeekCloser = (*memStream)(nil)

func (m *memStream) Stream(buf [][2]float64) (int, bool) {
	if m.pos >= len(m.samples) {
		return 0, false
	}
	n := copy(buf, m.samples[m.pos:])
	m.pos += n
	return n, true
}

func (m *memStream) Err() error    { return nil }
func (m *memStream) Len() int      { return len(m.samples) }
func (m *memStream) Position() int { return m.pos }
func (m *memStream) Close() error  { return nil }

func (m *memStream) Seek(p int) error {
	if p < 0 || p > len(m.samples) {
		return fmt.Errorf("narration: seek to %d outside the clip's %d samples", p, len(m.samples))
	}
	m.pos = p
	return nil
}

package narration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/routines"
)

// ClipSet opens a voice's clips at one sample rate. It satisfies the mixer's
// Clips interface, and is safe for concurrent use.
type ClipSet struct {
	v  *Voice
	sr beep.SampleRate

	// A routine says the same lines many times, and an export renders the
	// track twice (measuring, then output): recently used clips are kept in
	// memory, decoded as 16-bit mono at the set's rate, and every decoded
	// clip on disk (see pcmcache.go).
	lru      *clipLRU
	cacheDir string
	repaired func(CacheRepair)
}

// memoryCache bounds the clips a ClipSet holds in memory: 8 MB at 44.1 kHz,
// a tenth of a second's reading from disk to replace if evicted.
const memoryCache = 90 * time.Second

// Clips returns the voice's clips as streams at sample rate sr.
func (v *Voice) Clips(sr beep.SampleRate) *ClipSet {
	return &ClipSet{v: v, sr: sr, lru: newClipLRU(sr.N(memoryCache)), cacheDir: pcmCacheDir()}
}

// OnRepair sets what is told when a bad entry of the decoded-clip cache is
// found and made again; nil tells nobody. Set it before the first Open.
func (c *ClipSet) OnRepair(f func(CacheRepair)) { c.repaired = f }

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
	if pcm, ok := c.lru.get(name); ok {
		return &pcmStream{s: pcm}, nil
	}
	pcm, err := decodeClip(c.v.fsys, name, c.sr, c.cacheDir, c.repaired)
	if err != nil {
		return nil, err
	}
	c.lru.put(name, pcm)
	return &pcmStream{s: pcm}, nil
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

// decodeBytes decodes a whole clip file at sample rate sr, as 16-bit mono:
// a quarter of the memory of beep's float pairs, and no audible change for
// clips that came from 16-bit recordings or MP3 at speech levels.
func decodeBytes(data []byte, name string, sr beep.SampleRate) ([]int16, error) {
	s, format, err := audio.Decode(readSeekNopCloser{bytes.NewReader(data)}, name)
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	defer s.Close()
	c, err := audio.LoadMono16(s, format.SampleRate, sr)
	if err != nil {
		return nil, fmt.Errorf("narration: %s: %w", name, err)
	}
	cleanPCM(c, sr)
	return c, nil
}

type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

// ClipStamp identifies the clip a line plays, cheaply: its file's name, and
// for a folder its size and time of change (the embedded voice's clips
// change only with the program).
func (v *Voice) ClipStamp(text string) string {
	name, ok := v.ClipFile(text)
	if !ok {
		return "no clip: " + text
	}
	if v.dir == "" {
		return name
	}
	fi, err := fs.Stat(v.fsys, name)
	if err != nil {
		return name + ": " + err.Error()
	}
	return fmt.Sprintf("%s %d %d", name, fi.Size(), fi.ModTime().UnixNano())
}

// DamagedClip is a clip file that does not decode: cut short, overwritten,
// or not audio at all.
type DamagedClip struct {
	Line, File string
	Err        error
}

// Reason is why the clip does not decode, without the package prefix a
// message around it already has.
func (d DamagedClip) Reason() string { return errText(d.Err) }

// checkRate is the rate Damaged decodes at: the export's default, so that
// what it decodes lands in the decoded-clip cache for the export that
// follows.
const checkRate = beep.SampleRate(44100)

// Damaged decodes the clips of lines, each once, and returns those that do
// not decode, or decode to nothing. A clip the decoded-clip cache holds a
// good entry for (made from its very bytes) is not decoded again.
func (v *Voice) Damaged(lines []string) []DamagedClip {
	dir := pcmCacheDir()
	var out []DamagedClip
	for _, l := range dedupe(v, lines) {
		name, ok := v.ClipFile(l)
		if !ok {
			continue
		}
		pcm, err := decodeClip(v.fsys, name, checkRate, dir, nil)
		if err == nil && len(pcm) == 0 {
			err = errors.New("it holds no audio")
		}
		if err != nil {
			out = append(out, DamagedClip{Line: l, File: name, Err: err})
		}
	}
	return out
}

// RemoveDamaged deletes the clips of lines that do not decode, telling
// repaired of each, so that they count as missing and are rendered again.
func (v *Voice) RemoveDamaged(lines []string, repaired func(CacheRepair)) error {
	for _, d := range v.Damaged(lines) {
		path := filepath.Join(v.dir, d.File)
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("narration: %w", err)
		}
		delete(v.clips, v.Key(d.Line))
		repaired(CacheRepair{What: "clip", Path: path, Reason: "does not decode (" + errText(d.Err) + ")"})
	}
	return nil
}

// errText is an error's message without the package prefix that a message
// around it already has.
func errText(err error) string {
	return strings.TrimPrefix(err.Error(), "narration: ")
}

// MayAdd are the phrases a track says only when asked to (a spoken
// hold-start's "Hold."): not lines a voice must have, but ones a rendered
// voice gets, and pruning keeps.
func MayAdd(scripts ...*routines.Script) []string {
	var out []string
	for _, s := range scripts {
		if h := s.Phrases.Hold; h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

package studio

// Every call the studio makes into export and mixer is in this file, so a
// change to the render pipeline touches the studio in one place.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"routinecast/export"
	"routinecast/mixer"
	"routinecast/routines"
)

// session is a routine compiled for listening at one level, with a voice
// folder that has a clip for each of its lines.
type session struct {
	job *export.Job
}

// errMissing is wrapped when the voice lacks clips for the routine.
var errMissing = errors.New("studio: lines have no clip")

// compileSession lays out the routine's timeline with the clips of voiceDir,
// exactly as export does.
func compileSession(r *routines.Routine, level routines.Level, voiceDir string) (*session, error) {
	job, err := export.Compile(export.Options{Routine: r, Level: level, Voice: voiceDir})
	var missing *export.MissingClipsError
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("%w: %d line(s) missing", errMissing, len(missing.Lines))
	}
	if err != nil {
		return nil, err
	}
	return &session{job: job}, nil
}

// view is what the timeline pane shows, as show prints it.
func (s *session) view() timelineView {
	tl, sc := s.job.Timeline, s.job.Script
	secs := func(n int) float64 { return round3(float64(n) / float64(tl.SampleRate)) }
	v := timelineView{Title: sc.Title, Level: string(sc.Level), Chapters: []chapterView{}, Cues: []cueView{}}
	for _, c := range tl.Chapters {
		v.Chapters = append(v.Chapters, chapterView{Title: c.Title, Start: secs(c.Start)})
	}
	for _, e := range tl.Events {
		if e.Kind.Tone() {
			continue // the countdown is implied by its hold
		}
		kind := string(e.Kind)
		if e.Kind == mixer.Speech && e.Cue >= 0 && e.Cue < len(sc.Cues) {
			kind = string(sc.Cues[e.Cue].Kind)
		}
		v.Cues = append(v.Cues, cueView{At: secs(e.Start), Kind: kind, Text: e.Text, Seconds: secs(e.End - e.Start)})
	}
	v.Total = secs(tl.Length)
	return v
}

// wav returns the session as a WAV file that is rendered as it is read, at
// the loudness live playback uses (estimated from the clips' loudness rather
// than measured, which would mean rendering it all first). Any byte range
// can be read: a read after a seek renders from that sample.
func (s *session) wav() (*wavReader, error) {
	tl := s.job.Timeline
	r, err := mixer.Render(tl, s.job.Clips, mixer.RenderOptions{Gain: s.job.EstimatedGain()})
	if err != nil {
		return nil, err
	}
	return newWAVReader(r, int(tl.SampleRate), tl.Channels, tl.Length), nil
}

// writeMP3 renders the session to w as export writes an MP3: loudness
// measured and normalised, ID3 tags and chapters.
func (s *session) writeMP3(ctx context.Context, w io.Writer) (int64, error) {
	res, err := s.job.Write(ctx, w, export.MP3)
	if err != nil {
		return 0, err
	}
	return res.Bytes, nil
}

// sampleSource is the part of a renderer the WAV reader uses.
type sampleSource interface {
	Stream([][2]float64) (int, bool)
	Err() error
	Position() int
	Seek(int) error
	Close() error
}

const wavHeaderLen = 44

// wavReader is a 16-bit PCM WAV file read from a renderer: an io.ReadSeeker
// of known size, which http.ServeContent answers range requests from.
type wavReader struct {
	src      sampleSource
	channels int
	length   int // samples
	hdr      [wavHeaderLen]byte
	size     int64
	off      int64
	buf      []byte // bytes of the samples from bufOff
	bufOff   int64
	samples  [][2]float64
}

func newWAVReader(src sampleSource, rate, channels, length int) *wavReader {
	w := &wavReader{src: src, channels: channels, length: length, samples: make([][2]float64, 4096)}
	data := uint32(length * channels * 2)
	h := w.hdr[:]
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+data)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1)
	binary.LittleEndian.PutUint16(h[22:], uint16(channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*channels*2))
	binary.LittleEndian.PutUint16(h[32:], uint16(channels*2))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], data)
	w.size = wavHeaderLen + int64(data)
	w.bufOff = -1
	return w
}

func (w *wavReader) Size() int64  { return w.size }
func (w *wavReader) Close() error { return w.src.Close() }

func (w *wavReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += w.off
	case io.SeekEnd:
		offset += w.size
	default:
		return 0, errors.New("studio: wav: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("studio: wav: seek before the start")
	}
	w.off = offset
	return offset, nil
}

func (w *wavReader) Read(p []byte) (int, error) {
	if w.off >= w.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && w.off < w.size {
		if w.off < wavHeaderLen {
			c := copy(p[n:], w.hdr[w.off:])
			n += c
			w.off += int64(c)
			continue
		}
		if w.bufOff < 0 || w.off < w.bufOff || w.off >= w.bufOff+int64(len(w.buf)) {
			if err := w.fill(); err != nil {
				return n, err
			}
		}
		c := copy(p[n:], w.buf[w.off-w.bufOff:])
		n += c
		w.off += int64(c)
	}
	return n, nil
}

// fill renders the block of samples that holds byte w.off.
func (w *wavReader) fill() error {
	frame := int64(2 * w.channels)
	at := int((w.off - wavHeaderLen) / frame)
	if w.src.Position() != at {
		if err := w.src.Seek(at); err != nil {
			return fmt.Errorf("studio: preview: %w", err)
		}
	}
	k, _ := w.src.Stream(w.samples[:min(len(w.samples), w.length-at)])
	if err := w.src.Err(); err != nil {
		return fmt.Errorf("studio: preview: %w", err)
	}
	if k == 0 {
		return fmt.Errorf("studio: preview: the render ended at sample %d of %d: %w", at, w.length, io.ErrUnexpectedEOF)
	}
	w.buf = w.buf[:0]
	for _, s := range w.samples[:k] {
		for c := range w.channels {
			w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(pcm16(s[c])))
		}
	}
	w.bufOff = wavHeaderLen + int64(at)*frame
	return nil
}

// pcm16 rounds a sample to 16 bits without dither: the preview is heard
// once, and the same bytes for the same range keep a resumed download whole.
func pcm16(x float64) int16 {
	return int16(max(-32768, min(32767, math.Round(x*32767))))
}

// estimatedView lays a script's cues end to end at their nominal durations,
// for a routine whose lines do not all have clips yet.
func estimatedView(r *routines.Routine, level routines.Level) (timelineView, error) {
	sc, err := routines.Expand(r, level)
	if err != nil {
		return timelineView{}, err
	}
	v := timelineView{Title: sc.Title, Level: string(sc.Level), Estimated: true, Chapters: []chapterView{}, Cues: []cueView{}}
	var at float64
	for _, c := range sc.Cues {
		if c.Kind == routines.Chapter {
			v.Chapters = append(v.Chapters, chapterView{Title: c.Text, Start: round3(at)})
			continue
		}
		v.Cues = append(v.Cues, cueView{At: round3(at), Kind: string(c.Kind), Text: c.Text, Seconds: round3(c.Duration.Seconds())})
		at += c.Duration.Seconds()
	}
	v.Total = round3(at)
	return v, nil
}

// timelineView is the timeline pane's data. Times are in seconds.
type timelineView struct {
	Title     string        `json:"title"`
	Level     string        `json:"level"`
	Total     float64       `json:"total"`
	Estimated bool          `json:"estimated"` // times from the words, not from clips
	Chapters  []chapterView `json:"chapters"`
	Cues      []cueView     `json:"cues"`
}

type chapterView struct {
	Title string  `json:"title"`
	Start float64 `json:"start"`
}

type cueView struct {
	At      float64 `json:"at"`
	Kind    string  `json:"kind"`
	Text    string  `json:"text,omitempty"`
	Seconds float64 `json:"seconds"`
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

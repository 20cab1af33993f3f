// Package export renders a compiled job (see package job) to an audio file:
// it measures the track, normalises its loudness, then streams it through an
// encoder (MP3 with ID3 tags and chapters, WAV or FLAC) on every core. The
// export command, pack builds and the studio use it.
package export

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/audio/id3"
	"routinecast/audio/mp3"
	"routinecast/internal/dsp"
	"routinecast/job"
	"routinecast/mixer"
)

// Options say how to write a job's audio.
type Options struct {
	// Bitrate of an MP3 in kbps; 0 means 64 for mono, 128 for stereo.
	Bitrate int
	// Tags for MP3 files. Chapters come from the timeline.
	Tags Tags
	// Progress, if set, is called as the work goes, with the units done and
	// the total: the measuring pass counts for a third (it renders without
	// encoding), the output for the rest.
	Progress func(done, total int64)
	// Measuring, if set, is called before the measuring pass starts, which
	// renders the track without output.
	Measuring func()
}

// Tags describe an exported MP3.
type Tags struct {
	Title, Artist, Album, Comment string
	Language                      string // BCP 47 ("en") or ISO 639-2 ("eng")
	Date                          string // yyyy-mm-dd
	Track                         int
	Cover                         []byte // PNG or JPEG
	// NoChapterPictures leaves the exercises' pictures out of their
	// chapters (see MaxChapterPicture).
	NoChapterPictures bool
}

// Result tells what was written.
type Result struct {
	Duration time.Duration
	Bytes    int64
	Timeline *mixer.Timeline
	Loudness mixer.Normalization
}

// Format is an output format.
type Format string

// The formats export writes.
const (
	MP3  Format = "mp3"
	WAV  Format = "wav"
	FLAC Format = "flac"
)

// ErrFormat is returned for an output name or format export cannot write.
var ErrFormat = errors.New("export: unknown format")

// FormatOf picks the format from a file name's extension.
func FormatOf(path string) (Format, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".mp3", ".wav", ".flac":
		return Format(ext[1:]), nil
	default:
		return "", fmt.Errorf("%w %q for %s: use .mp3, .wav or .flac", ErrFormat, ext, path)
	}
}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case MP3, WAV, FLAC:
		return f, nil
	}
	return "", fmt.Errorf("%w %q: use mp3, wav or flac", ErrFormat, s)
}

// bitrate is the MP3 bitrate o asks for a track of so many channels.
func (o Options) bitrate(channels int) int {
	switch {
	case o.Bitrate != 0:
		return o.Bitrate
	case channels == 2:
		return 128
	}
	return 64
}

// WriteFile renders the routine into path, in the format its extension names.
// The file appears whole or not at all: it is written beside the target and
// renamed over it at the end, and an error or a cancelled ctx leaves no file.
func WriteFile(ctx context.Context, path string, jo job.Options, o Options) (*Result, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	j, err := job.Compile(jo)
	if err != nil {
		return nil, err
	}
	return Save(ctx, j, path, nil, format, o, Sidecars{})
}

// Write renders j's timeline to w in a format. w need not seek: every
// header is written with the length known from the timeline. The track is
// measured once, then rendered once on every core; when w is a file and the
// measured loudness of what was written misses the target by more than 0.2
// LU (it has not been seen to), it is rewritten with the gain corrected.
func Write(ctx context.Context, w io.Writer, j *job.Job, format Format, o Options) (*Result, error) {
	tl := j.Timeline
	if o.Measuring != nil {
		o.Measuring()
	}
	// Clips that refuse to open once ctx is done stop the render at the next
	// spoken line.
	clips := cancelClips{ctx, j.Clips}
	norm, measured, err := normalize(ctx, j, clips, o.Progress)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	target, maxTP := tl.Options.Loudness.Target, tl.Options.Loudness.MaxTruePeak
	var start int64
	rw, canRewind := w.(rewindable)
	if canRewind {
		if start, err = rw.Seek(0, io.SeekCurrent); err != nil {
			canRewind = false
		}
	}
	for {
		cw := &countingWriter{w: w}
		var dst io.Writer = cw
		if canRewind {
			dst = rw // the MP3 Info frame is then rewritten at the end, with the audio's CRC
		}
		var progress func(done, total int64)
		if o.Progress != nil {
			length := int64(tl.Length)
			progress = func(done, _ int64) { o.Progress(length+2*done, 3*length) }
		}
		ro := norm.RenderOptions()
		ro.Measured = measured
		out := &output{tl: tl, clips: clips, ro: ro, progress: progress, measured: measured,
			// Under the floor the measurement made no estimate: a peak found
			// there would not be the track's.
			peakFloor: max(dsp.Gain(min(norm.Ceiling, norm.BeforePeak+norm.Gain)-0.5), dsp.Gain(norm.Gain)*measured.Floor()*(1+1e-6))}
		if err := encoder(dst, j, format, o, out); err != nil {
			return nil, err
		}
		lufs, tp, err := out.run(ctx)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err != nil {
			return nil, err
		}
		norm.Passes++
		norm.Integrated, norm.TruePeak = lufs, tp
		miss := target - lufs
		done := math.Abs(miss) <= retryTolerance && tp <= maxTP
		if !done && (!canRewind || norm.Passes >= 4) {
			if math.Abs(miss) > maxMiss || tp > maxTP {
				return nil, fmt.Errorf("export: the track came out at %.2f LUFS, true peak %.2f dBTP (target %.1f LUFS, at most %.1f dBTP): %w",
					lufs, tp, target, maxTP, mixer.ErrLoudness)
			}
			done = true
		}
		if done {
			bytes := cw.n
			if canRewind {
				end, err := rw.Seek(0, io.SeekCurrent)
				if err != nil {
					return nil, fmt.Errorf("export: %w", err)
				}
				bytes = end - start
			}
			return &Result{Duration: tl.Duration(), Bytes: bytes, Timeline: tl, Loudness: norm}, nil
		}
		norm.Gain += miss
		if tp > maxTP {
			norm.Ceiling -= tp - maxTP + 0.1
		}
		if _, err := rw.Seek(start, io.SeekStart); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		if err := rw.Truncate(start); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
}

// encoder sets up out to write format to w: the ID3 tag and the MP3 stream's
// segments, or a WAV or FLAC encoder.
func encoder(w io.Writer, j *job.Job, format Format, o Options, out *output) error {
	tl := j.Timeline
	var err error
	switch format {
	case WAV:
		out.enc, err = audio.NewWAVEncoder(w, audio.EncodeOptions{SampleRate: tl.SampleRate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	case FLAC:
		out.enc, err = audio.NewFLACEncoder(w, audio.EncodeOptions{SampleRate: tl.SampleRate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	case MP3:
		tag, terr := tags(j, o)
		if terr != nil {
			return terr
		}
		tag.Encoder = encoderPrefix + fingerprint(j, MP3, o, tag)
		if _, err := tag.WriteTo(w); err != nil && !errors.Is(err, id3.ErrEmpty) {
			return fmt.Errorf("export: %w", err)
		}
		out.segs, err = mp3.NewSegments(w, mp3.Options{SampleRate: int(tl.SampleRate), Channels: tl.Channels, Bitrate: o.bitrate(tl.Channels), TotalSamples: int64(tl.Length)})
	default:
		return fmt.Errorf("%w %q", ErrFormat, format)
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// cancelClips fails to open a clip once its context is done.
type cancelClips struct {
	ctx context.Context
	mixer.Clips
}

func (c cancelClips) Open(text string) (beep.StreamSeekCloser, error) {
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	return c.Clips.Open(text)
}

// tags builds the ID3 tag: the options' tags, defaults from the routine, and a
// chapter per timeline chapter, with its exercise's picture unless o.Tags
// leaves them out.
func tags(j *job.Job, o Options) (*id3.Tag, error) {
	tl, r := j.Timeline, j.Options.Routine
	t := &id3.Tag{
		Title:    o.Tags.Title,
		Artist:   o.Tags.Artist,
		Album:    o.Tags.Album,
		Comment:  o.Tags.Comment,
		Language: iso639(cmp.Or(o.Tags.Language, r.Language)),
		Date:     o.Tags.Date,
		Track:    o.Tags.Track,
		Cover:    o.Tags.Cover,
		Encoder:  "routinecast",
	}
	if t.Title == "" {
		t.Title = fmt.Sprintf("%s (%s)", r.Title, j.Script.Level)
	}
	if t.Artist == "" {
		t.Artist = "routinecast"
	}
	if t.Comment == "" {
		t.Comment = cmp.Or(r.Credits, r.Description)
	}
	pictures := make([][]byte, len(tl.Chapters))
	if !o.Tags.NoChapterPictures {
		var err error
		if pictures, err = chapterPictures(j); err != nil {
			return nil, err
		}
	}
	for i, c := range tl.Chapters {
		end := tl.Length
		if i+1 < len(tl.Chapters) {
			end = tl.Chapters[i+1].Start
		}
		t.Chapters = append(t.Chapters, id3.Chapter{Title: c.Title, Start: tl.Time(c.Start), End: tl.Time(end), Picture: pictures[i]})
	}
	return t, nil
}

// iso639 turns a BCP 47 language into the three-letter code ID3 wants.
func iso639(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	codes := map[string]string{"en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "nl": "nld", "pt": "por"}
	if c, ok := codes[base]; ok {
		return c
	}
	if len(base) == 3 {
		return base
	}
	return ""
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

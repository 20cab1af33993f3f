// Package export is the one pipeline from a routine to an audio file: expand
// the routine at a level, find its clips in a voice, compile the timeline,
// normalise its loudness, then stream it through an encoder (MP3 with ID3 tags
// and chapters, WAV or FLAC). The export command and pack builds both use it.
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
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// Options say what to render and how.
type Options struct {
	Routine *routines.Routine
	Level   routines.Level
	// Length, if set, replaces Level: every range is stretched so the track
	// lasts this long (see Fit).
	Length time.Duration
	// Voice is a voice folder; "" uses the embedded default voice.
	Voice string
	// Music is an optional music bed (WAV, MP3 or FLAC), looped and ducked.
	Music string
	// Bitrate of an MP3 in kbps; 0 means 64 for mono, 128 for stereo.
	Bitrate int
	// Mixer holds how the track sounds: its sample rate (default 44100),
	// channels, loudness target (default -16 LUFS), cues and music ducking.
	// Its Channels default differs from the mixer's: 0 means mono, or
	// stereo with music. Its Music.Source is set from Music.
	Mixer mixer.Options
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

// Job is a compiled routine ready to render: its timeline and the clips it plays.
type Job struct {
	Script   *routines.Script
	Timeline *mixer.Timeline
	Clips    mixer.Clips
	opts     Options
	voice    *narration.Voice
	// fingerprint, once set by Write, goes into the MP3's tag.
	fingerprint string
}

// Measured on the built-in routine: its gated loudness sits about 1.2 LU under
// its clips' own loudness (gaps inside 400 ms blocks count against it).
const gapLoss = 1.2

// EstimatedGain is a gain in dB that brings the track close to the loudness
// target (within about 1 LU) without measuring it, from the loudness every
// clip of the voice was brought to. Live playback uses it (it cannot wait
// for the measuring pass an export makes), and the measuring pass centres its
// range of gains on it.
func (j *Job) EstimatedGain() float64 {
	clip := j.voice.Manifest.Clips.Loudness
	if clip == 0 {
		clip = narration.DefaultLoudness
	}
	return j.Timeline.Options.Loudness.Target - (clip - gapLoss)
}

// Compile expands the routine, finds its clips and lays out the timeline. It
// renders nothing; play and show use it too.
func Compile(o Options) (*Job, error) {
	o = o.withDefaults()
	if o.Routine == nil {
		return nil, errors.New("export: no routine")
	}
	if o.Length != 0 {
		return compileFitted(o)
	}
	script, err := routines.Expand(o.Routine, o.Level)
	if err != nil {
		return nil, err
	}
	voice := narration.Default()
	if o.Voice != "" {
		if voice, err = narration.Open(o.Voice); err != nil {
			return nil, err
		}
	}
	if missing := voice.Missing(script.Lines()); len(missing) > 0 {
		return nil, &MissingClipsError{Voice: voiceName(o.Voice), Lines: missing}
	}
	mo := o.Mixer
	clips := voice.Clips(mo.SampleRate)
	if o.Music != "" {
		path := o.Music
		if err := CheckMusic(path); err != nil {
			return nil, err
		}
		mo.Music.Source = mixer.MusicFunc(func() (beep.StreamSeekCloser, beep.Format, error) { return audio.Open(path) })
	}
	tl, err := mixer.Compile(script, clips, mo)
	if err != nil {
		return nil, err
	}
	return &Job{Script: script, Timeline: tl, Clips: clips, opts: o, voice: voice}, nil
}

func voiceName(dir string) string {
	if dir == "" {
		return "the built-in voice"
	}
	return dir
}

// MissingClipsError lists the lines a voice has no clip for.
type MissingClipsError struct {
	Voice string // as the message names it
	Lines []string
	// Advice, if set, replaces the message's last line, which says in
	// general how to add the clips: a caller that knows how the voice
	// was named can give the command that does it.
	Advice string
}

// Fix sets the advice to the command that adds the clips, for the routine
// and voice as the user named them: voice is "" for the built-in voice, else
// the voice in folder dir. For the built-in voice it suggests engine's
// answer, the speech engine installed ("" for festival).
func (e *MissingClipsError) Fix(routine, voice, dir string, engine func() string) {
	var v *narration.Voice
	if e.Voice = "the built-in voice"; dir != "" {
		e.Voice = "the voice " + voice
		v, _ = narration.Open(dir)
	}
	r, vs := narration.ShellWords(routine), narration.ShellWords(voice)
	switch {
	case v != nil && v.Manifest.Engine.Name != narration.Recorded:
		e.Advice = fmt.Sprintf("render them with 'routinecast voice render %s --voice %s', or add --engine %s to this command", r, vs, v.Manifest.Engine.Name)
	case v != nil:
		e.Advice = fmt.Sprintf("record them (see 'routinecast voice script %s') and import them with 'routinecast voice import FOLDER --voice %s --routine %s'", r, vs, r)
	default:
		e.Advice = fmt.Sprintf("the built-in voice speaks only the built-in routines: add --engine %s to this command to render the lines with a speech engine (see 'routinecast voice engines'), or give --voice DIR", cmp.Or(engine(), "festival"))
	}
}

func (e *MissingClipsError) Error() string {
	const show = 5
	var b strings.Builder
	fmt.Fprintf(&b, "export: %s has no clip for %d line(s) of this routine:", e.Voice, len(e.Lines))
	for i, l := range e.Lines {
		if i == show {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Lines)-show)
			break
		}
		fmt.Fprintf(&b, "\n  %q", l)
	}
	advice := e.Advice
	if advice == "" {
		advice = "render them with 'routinecast voice render ROUTINE --voice DIR', or record them ('routinecast voice script')"
	}
	b.WriteString("\n" + advice)
	return b.String()
}

func (o Options) withDefaults() Options {
	if o.Level == "" {
		o.Level = routines.Standard
	}
	// The clips are opened at the sample rate before the mixer resolves it.
	if o.Mixer.SampleRate == 0 {
		o.Mixer.SampleRate = 44100
	}
	if o.Mixer.Channels == 0 {
		o.Mixer.Channels = 1
		if o.Music != "" {
			o.Mixer.Channels = 2
		}
	}
	if o.Bitrate == 0 {
		o.Bitrate = 64
		if o.Mixer.Channels == 2 {
			o.Bitrate = 128
		}
	}
	return o
}

// WriteFile renders the routine into path, in the format its extension names.
// The file appears whole or not at all: it is written beside the target and
// renamed over it at the end, and an error or a cancelled ctx leaves no file.
func WriteFile(ctx context.Context, path string, o Options) (*Result, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	job, err := Compile(o)
	if err != nil {
		return nil, err
	}
	return job.Save(ctx, path, nil, format, Sidecars{})
}

// Write renders the job's timeline to w in a format. w need not seek: every
// header is written with the length known from the timeline. The track is
// measured once, then rendered once on every core; when w is a file and the
// measured loudness of what was written misses the target by more than 0.2
// LU (it has not been seen to), it is rewritten with the gain corrected.
func (j *Job) Write(ctx context.Context, w io.Writer, format Format) (*Result, error) {
	o, tl := j.opts, j.Timeline
	if o.Measuring != nil {
		o.Measuring()
	}
	// Clips that refuse to open once ctx is done stop the render at the next
	// spoken line.
	clips := cancelClips{ctx, j.Clips}
	norm, measured, err := j.normalize(ctx, clips)
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
			peakFloor: max(dbToGain(min(norm.Ceiling, norm.BeforePeak+norm.Gain)-0.5), dbToGain(norm.Gain)*measured.Floor()*(1+1e-6))}
		if err := j.encoder(dst, format, out); err != nil {
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
func (j *Job) encoder(w io.Writer, format Format, out *output) error {
	o, tl := j.opts, j.Timeline
	var err error
	switch format {
	case WAV:
		out.enc, err = audio.NewWAVEncoder(w, audio.EncodeOptions{SampleRate: tl.SampleRate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	case FLAC:
		out.enc, err = audio.NewFLACEncoder(w, audio.EncodeOptions{SampleRate: tl.SampleRate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	case MP3:
		j.fingerprint = j.Fingerprint(MP3)
		tag := j.tag()
		if _, err := tag.WriteTo(w); err != nil && !errors.Is(err, id3.ErrEmpty) {
			return fmt.Errorf("export: %w", err)
		}
		out.segs, err = mp3.NewSegments(w, mp3.Options{SampleRate: int(tl.SampleRate), Channels: tl.Channels, Bitrate: o.Bitrate, TotalSamples: int64(tl.Length)})
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

// tag builds the ID3 tag: the options' tags, defaults from the routine, and a
// chapter per timeline chapter.
func (j *Job) tag() *id3.Tag {
	o, tl, r := j.opts, j.Timeline, j.opts.Routine
	t := &id3.Tag{
		Title:    o.Tags.Title,
		Artist:   o.Tags.Artist,
		Album:    o.Tags.Album,
		Comment:  o.Tags.Comment,
		Language: iso639(firstNonEmpty(o.Tags.Language, r.Language)),
		Date:     o.Tags.Date,
		Track:    o.Tags.Track,
		Cover:    o.Tags.Cover,
		Encoder:  "routinecast",
	}
	if j.fingerprint != "" {
		t.Encoder = encoderPrefix + j.fingerprint
	}
	if t.Title == "" {
		t.Title = fmt.Sprintf("%s (%s)", r.Title, j.Script.Level)
	}
	if t.Artist == "" {
		t.Artist = "routinecast"
	}
	if t.Comment == "" {
		t.Comment = firstNonEmpty(r.Credits, r.Description)
	}
	for i, c := range tl.Chapters {
		end := tl.Length
		if i+1 < len(tl.Chapters) {
			end = tl.Chapters[i+1].Start
		}
		t.Chapters = append(t.Chapters, id3.Chapter{Title: c.Title, Start: tl.Time(c.Start), End: tl.Time(end)})
	}
	return t
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
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

func dbToGain(db float64) float64 { return math.Pow(10, db/20) }

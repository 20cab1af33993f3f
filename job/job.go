// Package job compiles a routine into a job: the script at a level or a
// length, the clips of the voice that speaks it, and the timeline that lays
// them out with the cues. It renders nothing. Export renders a job to a
// file; play, show, handouts, packs and the studio read its script and
// timeline.
package job

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// Options say what to compile.
type Options struct {
	Routine *routines.Routine
	Level   routines.Level
	// Length, if set, replaces Level: every range is stretched so the track
	// lasts this long (see Fit).
	Length time.Duration
	// Voice is a voice folder; "" uses the embedded default voice.
	Voice string
	// Render, when set, makes the clips the voice lacks: Compile and Fit
	// call it with the lines they need before timing them, so that every
	// time is a clip's own. Without it, Fit times a line with no clip from
	// its words and Compile fails with a *MissingClipsError.
	Render func(lines []string) error
	// Music is an optional music bed, looped and ducked: the name of a
	// built-in bed (mixer.BedNames: "calm", "ambient") or a WAV, MP3 or FLAC
	// file.
	Music string
	// Mixer holds how the track sounds: its sample rate (default 44100),
	// channels, loudness target (default -16 LUFS), cues and music ducking.
	// Its Channels default differs from the mixer's: 0 means mono, or
	// stereo with music. Its Music.Source is set from Music.
	Mixer mixer.Options
	// Repaired, if set, is told of each bad entry of the decoded-clip cache
	// that the clips replace as they are read.
	Repaired func(narration.CacheRepair)
}

// Job is a compiled routine ready to render: its timeline and the clips it plays.
type Job struct {
	Script   *routines.Script
	Timeline *mixer.Timeline
	Clips    mixer.Clips
	// Voice is the voice whose clips the timeline plays.
	Voice *narration.Voice
	// Options are those the job was compiled from, defaults filled in; for
	// a job fitted to a length, Routine is the stretched routine it plays
	// and Length is 0.
	Options Options
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
	clip := j.Voice.Manifest.Clips.Loudness
	if clip == 0 {
		clip = narration.DefaultLoudness
	}
	return j.Timeline.Options.Loudness.Target - (clip - gapLoss)
}

var errNoRoutine = errors.New("job: no routine")

// Compile expands the routine, finds its clips and lays out the timeline.
func Compile(o Options) (*Job, error) {
	o = o.withDefaults()
	if o.Routine == nil {
		return nil, errNoRoutine
	}
	if o.Length != 0 {
		return compileFitted(o)
	}
	script, err := routines.Expand(o.Routine, o.Level)
	if err != nil {
		return nil, err
	}
	lines := spokenLines(script, o.Mixer)
	voice, err := o.voiceWith(lines)
	if err != nil {
		return nil, err
	}
	if missing := voice.Missing(lines); len(missing) > 0 {
		return nil, &MissingClipsError{Voice: voiceName(o.Voice), Lines: missing}
	}
	mo := o.Mixer
	clips := voice.Clips(mo.SampleRate)
	clips.OnRepair(o.Repaired)
	if o.Music != "" {
		if mo.Music.Source, err = musicSource(o.Music); err != nil {
			return nil, err
		}
	}
	tl, err := mixer.Compile(script, clips, mo)
	if err != nil {
		return nil, err
	}
	return &Job{Script: script, Timeline: tl, Clips: clips, Voice: voice, Options: o}, nil
}

// spokenLines are the lines the track may say: the script's, and "Hold."
// when the start of a hold is spoken.
func spokenLines(s *routines.Script, mo mixer.Options) []string {
	lines := s.Lines()
	if mo.HoldStart.Mode == mixer.HoldStartSpoken && s.Phrases.Hold != "" && !slices.Contains(lines, s.Phrases.Hold) {
		lines = append(lines, s.Phrases.Hold)
	}
	return lines
}

// voice opens the voice the options name.
func (o Options) voice() (*narration.Voice, error) {
	if o.Voice == "" {
		return narration.Default(), nil
	}
	return narration.Open(o.Voice)
}

// voiceWith opens the voice, with clips for lines when o.Render can make
// them.
func (o Options) voiceWith(lines []string) (*narration.Voice, error) {
	voice, err := o.voice()
	if err != nil || o.Render == nil || len(voice.Missing(lines)) == 0 {
		return voice, err
	}
	if err := o.Render(voice.Missing(lines)); err != nil {
		return nil, err
	}
	// Reopened: the clips were added to the folder, not to this Voice.
	return o.voice()
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
	return o
}

// musicSource is the music bed Options.Music names: a built-in bed
// (mixer.BedNames) or a file.
func musicSource(music string) (mixer.MusicSource, error) {
	if src, ok := mixer.Bed(music); ok {
		return src, nil
	}
	if err := CheckMusic(music); err != nil {
		return nil, err
	}
	return mixer.MusicFunc(func() (beep.StreamSeekCloser, beep.Format, error) { return audio.Open(music) }), nil
}

// IsBed reports whether Options.Music's value music names a built-in bed
// rather than a file (a file of that name is given as ./NAME).
func IsBed(music string) bool {
	_, ok := mixer.Bed(music)
	return ok
}

// CheckMusic opens a music file once, so that a bad one is reported before
// any work. A built-in bed's name needs no check.
func CheckMusic(path string) error {
	if IsBed(path) {
		return nil
	}
	s, _, err := audio.Open(path)
	if err != nil {
		return fmt.Errorf("music: %w", err)
	}
	s.Close()
	return nil
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

func (e *MissingClipsError) Error() string {
	const show = 5
	var b strings.Builder
	fmt.Fprintf(&b, "%s has no clip for %d line(s) of this routine:", e.Voice, len(e.Lines))
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

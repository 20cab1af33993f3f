package mixer

import (
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/routines"
)

// Timeline is a script laid out in samples: plain data that Render plays and
// that transcripts, chapters and `show` read. Every offset is a sample index at
// SampleRate, counted from the start of the track; ends are exclusive.
type Timeline struct {
	Title      string
	SampleRate beep.SampleRate
	Channels   int
	// Length of the track in samples.
	Length int
	// Events sorted by Start (events starting together: silent segments and
	// swells first, then voice, then tones).
	Events   []Event
	Chapters []Chapter
	// Lines are the spoken events in order, for transcripts.
	Lines []Line
	// Cues are the script's cues (Event.Cue indexes them): what Where reads
	// an event's exercise, set, repetition and side from.
	Cues []routines.Cue
	// Options are the options Compile used, defaults filled in. Render takes
	// the music bed and the sound of the cues from here.
	Options Options
}

// EventKind says what an event is.
type EventKind string

// The event kinds.
const (
	// Voice events play a clip whole; they never overlap each other.
	Speech EventKind = "speech" // a spoken cue of the script (say, count)
	Phrase EventKind = "phrase" // a phrase the mixer adds: a breath's phrase, a spoken countdown number, "halfway", "hold"

	// Timed segments last exactly the cue's duration.
	Settle     EventKind = "settle"      // silent: time to get into position before a hold's clock starts
	Hold       EventKind = "hold"        // silent
	Rest       EventKind = "rest"        // silent
	BreatheIn  EventKind = "breathe_in"  // a sound rising through the inhale (silent with BreathNone)
	BreatheOut EventKind = "breathe_out" // a sound falling through the exhale

	// Tones, synthesized.
	Beep      EventKind = "beep"       // a countdown tone at one of the last seconds of a hold
	EndTone   EventKind = "end_tone"   // the tone at the exact end of a hold
	Halfway   EventKind = "halfway"    // the tone at the middle of a long hold
	HoldStart EventKind = "hold_start" // the tone at the first sample of a hold (or of a rest out of silence)
)

// Voice reports whether events of this kind play a clip.
func (k EventKind) Voice() bool { return k == Speech || k == Phrase }

// Tone reports whether events of this kind are a synthesized tone.
func (k EventKind) Tone() bool { return k == Beep || k == EndTone || k == Halfway || k == HoldStart }

// Segment reports whether events of this kind are a timed segment of the script.
func (k EventKind) Segment() bool {
	return k == Settle || k == Hold || k == Rest || k == BreatheIn || k == BreatheOut
}

// Event is one thing heard (or a timed silence) on the timeline.
type Event struct {
	Kind       EventKind
	Start, End int // samples; End is exclusive
	// Text is the line of a voice event (the clip's key in Clips).
	Text string
	// Cue is the index of the script cue the event comes from: the hold a
	// countdown tone belongs to, the breath a phrase is said in, and so on.
	Cue int
	// Freq is the pitch of a tone, or the root of a swell, in Hz.
	Freq float64
	// Amp is the peak amplitude of a tone or swell (linear, before any gain).
	Amp float64
	// From and To are the envelope of a tone or swell at its start and end
	// (0 to 1, a raised-cosine glide between them): a swell rises 0 to 1 through
	// an inhale and falls 1 to 0 through an exhale.
	From, To float64
	// FadeIn and FadeOut are raised-cosine fades at the edges, in samples, so
	// that nothing starts or stops with a click.
	FadeIn, FadeOut int
	// Sound is the sound of a breath.
	Sound BreathSound
	// Sounds is the set a tone's sound is from.
	Sounds CueSoundSet
	// Phase is where a breath tone's phase stands at Start, in turns, so
	// that an exhale continues the inhale before it without a seam.
	Phase float64
}

// Len is the event's length in samples.
func (e Event) Len() int { return e.End - e.Start }

// Chapter is a section of the track (intro, warm-up, each exercise, outro).
type Chapter struct {
	Title string
	Start int // samples: where the chapter's first sound starts
}

// Line is one spoken line with its place on the track.
type Line struct {
	Text       string
	Start, End int // samples
}

// Duration is the length of the track.
func (tl *Timeline) Duration() time.Duration { return tl.Time(tl.Length) }

// Time converts a sample offset to a time, rounded down to the nanosecond.
func (tl *Timeline) Time(n int) time.Duration {
	// n/sr seconds in whole seconds plus a remainder, so that hours of samples
	// do not overflow the nanosecond product.
	sr := int64(tl.SampleRate)
	s := int64(n) / sr
	r := int64(n) % sr
	return time.Duration(s)*time.Second + time.Duration(r*int64(time.Second)/sr)
}

package mixer

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/gopxl/beep/v2"
)

// Clips gives the recorded or synthesized clip of each line, at the timeline's
// sample rate. Open may be called from several goroutines at once: Measure
// and export render segments of a track in parallel.
type Clips interface {
	Open(text string) (beep.StreamSeekCloser, error) // a fresh stream each call; Len() is its exact length in samples at Options.SampleRate
}

// ClipLens is an optional interface of Clips: the exact length of a line's
// clip at the timeline's sample rate, found without decoding it. Compile uses
// it when it is there, so laying out a timeline does not decode every clip.
type ClipLens interface {
	ClipLen(text string) (int, error)
}

// MusicSource opens the audio of a music bed: a fresh stream each call, at
// the stream's own sample rate (the mixer resamples it). The stream must be
// seekable and have an exact Len, since the bed is looped and the track can be
// sought anywhere. A caller typically wraps package audio's decoder.
type MusicSource interface {
	Open() (beep.StreamSeekCloser, beep.Format, error)
}

// MusicFunc adapts a function to a MusicSource.
type MusicFunc func() (beep.StreamSeekCloser, beep.Format, error)

// Open calls f.
func (f MusicFunc) Open() (beep.StreamSeekCloser, beep.Format, error) { return f() }

// Options says how Compile lays out a script and how Render sounds. The zero
// value of every field means its default; Compile resolves the defaults and
// keeps the result in Timeline.Options.
type Options struct {
	// SampleRate of the track. Default 44100.
	SampleRate beep.SampleRate
	// Channels is 1 (mono) or 2 (stereo). Default 2. A mono track carries the
	// same fold-down (L+R)/2 in both channels of the stream.
	Channels int
	// Gap is the silence between two spoken lines, whatever sits between
	// them (a breath's phrase after the line that announced the breath, too),
	// and between a tone and the line after it. Default 500 ms, an
	// instructor's pause between sentences; a negative value means none.
	// Otherwise no gap is put before a timed cue (hold, rest, breath): it
	// starts the moment the line announcing it ends, after the hold's settle
	// time (routines.Cue.Settle) if it has one. A breath whose phrase is
	// spoken starts Gap after the voice.
	Gap time.Duration
	// LeadIn is the silence before the first sound. Default 100 ms (short, so that
	// live playback is heard at once); negative means none.
	LeadIn time.Duration
	// Tail is the silence after the last sound. Default 1 s; negative means none.
	Tail time.Duration

	// CueSounds is the set the tones' sounds come from (countdown, end,
	// hold-start and halfway). Default CueClassic.
	CueSounds CueSoundSet

	Countdown CountdownOptions
	HoldStart HoldStartOptions
	Breathing BreathingOptions
	Halfway   HalfwayOptions
	Music     MusicOptions
	Loudness  LoudnessOptions
}

// CountdownOptions shape the countdown at the end of every hold: a short tone
// at each of the last Count seconds and a longer, higher tone at the exact end.
type CountdownOptions struct {
	// Count is the number of seconds counted down. Default 3; negative means no
	// countdown at all (not even the end tone). At most 10.
	Count int
	// Spoken says the numbers (Script.Phrases.Countdown: "three", "two", "one")
	// instead of the short tones. The end tone still marks the end. A number is
	// left out when the voice is still busy at its second (a slow voice).
	Spoken bool
	// Rests counts down rests too, not only holds.
	Rests bool
	// Pitch and Length of the short tones. Defaults 294 Hz (D4), 120 ms.
	// Every tone is its pitch with the second and third harmonics (see
	// tone): low pitches, so that a phone's speaker, which plays nothing
	// under 400 Hz, loses as much of a tone as it loses of the voice, and
	// the tone stays level with the voice there too.
	Pitch  float64
	Length time.Duration
	// EndPitch and EndLength of the tone at the exact end. Defaults 392 Hz
	// (G4, a fourth above the short tones), 400 ms.
	EndPitch  float64
	EndLength time.Duration
	// Level is the tones' level in dBFS before normalisation: the peak of a
	// sine of the same power. Default -17: a sine at -17 dBFS measures -20
	// LUFS, the loudness every clip of a voice is brought to, so the beeps
	// sit at the voice's level.
	Level float64
}

// HoldStartOptions shape the cue at the first sample of every hold, and of
// every rest that starts out of silence (not straight after a line or a
// tone): without it a listener with eyes closed hears the instruction, a
// silent settle and a silent hold, and cannot tell when to start counting.
type HoldStartOptions struct {
	// Mode: a soft tone (default), the spoken Script.Phrases.Hold, or none.
	// A spoken cue the voice is too busy for (a hold with no settle starts
	// the moment its line ends) is played as the tone.
	Mode HoldStartMode
	// Pitch and Length of the tone. Defaults 330 Hz (E4, between the short
	// countdown tones and the end tone), 300 ms; it swells in and dies away,
	// where the countdown tones start and stop.
	Pitch  float64
	Length time.Duration
	// Level of the tone in dBFS before normalisation (as Countdown.Level).
	// Default -18: a little softer than the countdown.
	Level float64
}

// CueSoundSet is a family of cue sounds: each has its own countdown tone,
// end sound and hold-start, at the pitches and levels of the options, each
// sound brought to the power of the classic one over its first 120 ms, so
// that every set sits as level with the voice.
type CueSoundSet int

// The cue sound sets.
const (
	// CueClassic: steady tones with two harmonics; the end tone a chime.
	CueClassic CueSoundSet = iota
	// CueSoft: rounder tones that swell in and fade; the end sound a slow
	// swell.
	CueSoft
	// CueWood: wooden knocks (the modes of a struck bar, decaying in tens
	// of milliseconds); the end sound a double knock, the second a fourth up.
	CueWood
)

// CueSoundNames are the sets as the CLI names them, in CueSoundSet order.
var CueSoundNames = []string{"classic", "soft", "wood"}

// HoldStartMode says how the start of a hold is marked.
type HoldStartMode int

// The hold-start modes.
const (
	HoldStartTone HoldStartMode = iota // a soft tone (the default)
	HoldStartSpoken
	HoldStartNone
)

// BreathingOptions shape the cues of breathe_in and breathe_out: a sound
// that rises smoothly through the whole inhale, peaks at the turn and falls
// through the whole exhale, with no beat or tremolo in it to be mistaken for
// the breath's own rhythm. A breath with no neighbour to join ends (or
// starts) with a fade of BreathEdge.
type BreathingOptions struct {
	// Say says when the breath's phrase ("Breathe in.") is spoken.
	Say SayMode
	// Sound is the cue's sound. The default, BreathNoise, is a soft breath
	// of band-passed noise, brighter on the inhale, whose energy lies where a
	// phone's speaker plays (0.4 to 4 kHz).
	Sound BreathSound
	// NoSwell leaves the sound out, as Sound BreathNone does.
	NoSwell bool
	// Pitch is the lowest pitch of BreathTone (it glides up a fifth through
	// the inhale and back down through the exhale) and the root of
	// BreathPad, in Hz. Defaults 392 for the tone (G4, above what a phone
	// speaker cuts) and 110 for the pad.
	Pitch float64
	// Level is the sound's peak level in dBFS before normalisation.
	// Defaults -20 for the noise and -14 for the tone, which put them 3 to 5
	// LU under the voice through a phone speaker (a 400 Hz high-pass and a
	// 4 kHz low-pass; TestCueLevels), and -20 for the pad.
	Level float64
}

// BreathEdge is the fade that starts an exhale no inhale comes before: long
// enough not to be heard as a click.
const BreathEdge = 250 * time.Millisecond

// BreathRelease is the fall that ends an inhale no exhale follows (most
// inhales of a routine's exercises, which a line follows): the sound takes
// most of a second to die away, as a breath let go does, where a shorter
// fade from full level was heard as a cut.
const BreathRelease = 800 * time.Millisecond

// BreathSound is the sound of the breathing cues.
type BreathSound int

// The breathing sounds.
const (
	// BreathNoise is band-passed noise, like a slow breath heard close by.
	BreathNoise BreathSound = iota
	// BreathTone is a soft tone with two harmonics that glides up through
	// the inhale and down through the exhale.
	BreathTone
	// BreathPad is a low pad (root, fifth, octave), as earlier versions
	// played, without their beat; on a phone speaker it is hardly heard.
	BreathPad
	// BreathNone plays no sound: only the breath's phrase, if any.
	BreathNone
)

// String names the sound as the CLI spells it.
func (s BreathSound) String() string {
	switch s {
	case BreathNoise:
		return "noise"
	case BreathTone:
		return "tone"
	case BreathPad:
		return "pad"
	case BreathNone:
		return "none"
	}
	return fmt.Sprintf("BreathSound(%d)", int(s))
}

// SayMode says which breaths have their phrase spoken.
type SayMode int

// The say modes.
const (
	// SayFirst speaks the phrase on the first inhale and the first exhale of a
	// series of breaths (a series starts at a cue with First set). The default.
	SayFirst SayMode = iota
	// SayAlways speaks it on every breath whose start finds the voice free.
	SayAlways
	// SayNever never speaks it.
	SayNever
)

// HalfwayOptions shape the cue at the middle of a long hold.
type HalfwayOptions struct {
	// Mode: a soft tone (default), the spoken Script.Phrases.Halfway, or none.
	Mode HalfwayMode
	// MinHold is the shortest hold that gets a halfway cue. Default 20 s.
	MinHold time.Duration
	// Pitch and Length of the tone. Defaults 440 Hz, 250 ms.
	Pitch  float64
	Length time.Duration
	// Level of the tone in dBFS before normalisation. Default -18.
	Level float64
}

// HalfwayMode says how the middle of a long hold is marked.
type HalfwayMode int

// The halfway modes.
const (
	HalfwayTone HalfwayMode = iota // a soft tone (the default)
	HalfwaySpoken
	HalfwayNone
)

// MusicOptions shape the optional music bed.
type MusicOptions struct {
	// Source of the bed; nil means no music.
	Source MusicSource
	// Level is the gain applied to the music, in dB, where the voice is silent.
	// Default -20 (a bed well under the voice); use a tiny negative value such as
	// -0.01 for unity, since 0 means the default.
	Level float64
	// Depth is how far the music is ducked under the voice, in dB. Default -12.
	Depth float64
	// Attack and Release are how long the ducking takes to go down before a line
	// and to come back after it. Defaults 80 ms and 600 ms. The voice is known in
	// advance, so the music is fully down when a line starts.
	Attack, Release time.Duration
	// FadeIn and FadeOut at the start and end of the track. Defaults 2 s, 3 s.
	FadeIn, FadeOut time.Duration
}

// LoudnessOptions set the loudness an export reaches.
type LoudnessOptions struct {
	// Target integrated loudness in LUFS. Default -16 (podcasts).
	Target float64
	// MaxTruePeak in dBTP. Default -1.
	MaxTruePeak float64
}

// ErrOptions is wrapped by every error about bad options.
var ErrOptions = errors.New("bad options")

func def[T comparable](v *T, d T) {
	var zero T
	if *v == zero {
		*v = d
	}
}

// durDef resolves a duration whose zero means the default. A negative one
// (none) is kept negative, so that resolving resolved options changes nothing;
// the users of such a field read it through nonneg.
func durDef(v *time.Duration, d time.Duration) {
	if *v == 0 {
		*v = d
	}
}

func nonneg(d time.Duration) time.Duration { return max(d, 0) }

// resolve fills in the defaults and checks the options.
func (o Options) resolve() (Options, error) {
	def(&o.SampleRate, 44100)
	def(&o.Channels, 2)
	durDef(&o.Gap, 500*time.Millisecond)
	durDef(&o.LeadIn, 100*time.Millisecond)
	durDef(&o.Tail, time.Second)

	c := &o.Countdown
	def(&c.Count, 3)
	def(&c.Pitch, 294)
	def(&c.Length, 120*time.Millisecond)
	def(&c.EndPitch, 392)
	def(&c.EndLength, 400*time.Millisecond)
	def(&c.Level, -17)

	hs := &o.HoldStart
	def(&hs.Pitch, 330)
	def(&hs.Length, 300*time.Millisecond)
	def(&hs.Level, -18)

	b := &o.Breathing
	if b.NoSwell {
		b.Sound = BreathNone
	}
	switch b.Sound {
	case BreathNoise:
		def(&b.Level, -20)
	case BreathTone:
		def(&b.Pitch, 392)
		def(&b.Level, -14)
	case BreathPad:
		def(&b.Pitch, 110)
	}
	def(&b.Pitch, 110) // unused by the noise; kept valid
	def(&b.Level, -20)

	h := &o.Halfway
	def(&h.MinHold, 20*time.Second)
	def(&h.Pitch, 440)
	def(&h.Length, 250*time.Millisecond)
	def(&h.Level, -18)

	m := &o.Music
	def(&m.Level, -20)
	def(&m.Depth, -12)
	def(&m.Attack, 80*time.Millisecond)
	def(&m.Release, 600*time.Millisecond)
	def(&m.FadeIn, 2*time.Second)
	def(&m.FadeOut, 3*time.Second)

	l := &o.Loudness
	def(&l.Target, -16)
	def(&l.MaxTruePeak, -1)

	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("mixer: %w: "+format, append([]any{ErrOptions}, args...)...))
	}
	if err := CheckSampleRate(int(o.SampleRate)); err != nil {
		bad("%v", err)
	}
	if o.Channels != 1 && o.Channels != 2 {
		bad("channels must be 1 or 2, not %d", o.Channels)
	}
	if c.Count > 10 {
		bad("countdown of %d seconds is longer than 10", c.Count)
	}
	nyq := float64(o.SampleRate) / 2
	// The tones reach 3 times their pitch; the breath tone 3 times a fifth
	// above its pitch.
	for _, p := range []struct {
		name    string
		hz, top float64
	}{{"countdown pitch", c.Pitch, 3}, {"countdown end pitch", c.EndPitch, 3}, {"breathing pitch", b.Pitch, 4.5}, {"halfway pitch", h.Pitch, 3}, {"hold-start pitch", hs.Pitch, 3}} {
		if !(p.hz > 0 && p.hz*p.top < nyq) {
			bad("%s %g Hz is out of range (above 0, below 1/%g of the sample rate)", p.name, p.hz, 2*p.top)
		}
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"countdown tone length", c.Length}, {"countdown end tone length", c.EndLength},
		{"halfway tone length", h.Length}, {"halfway minimum hold", h.MinHold}, {"hold-start tone length", hs.Length},
		{"music attack", m.Attack}, {"music release", m.Release}, {"music fade-in", m.FadeIn}, {"music fade-out", m.FadeOut}} {
		if d.d < 0 {
			bad("%s %v is negative", d.name, d.d)
		}
	}
	for _, l := range []struct {
		name string
		db   float64
	}{{"countdown level", c.Level}, {"breathing level", b.Level}, {"halfway level", h.Level}, {"hold-start level", hs.Level}, {"music level", m.Level}, {"music depth", m.Depth}} {
		if math.IsNaN(l.db) || l.db > 0 || l.db < -120 {
			bad("%s %g dB is out of range (-120 to 0)", l.name, l.db)
		}
	}
	if b.Sound < BreathNoise || b.Sound > BreathNone {
		bad("unknown breathing sound %d", b.Sound)
	}
	if b.Say < SayFirst || b.Say > SayNever {
		bad("unknown breathing say mode %d", b.Say)
	}
	if h.Mode < HalfwayTone || h.Mode > HalfwayNone {
		bad("unknown halfway mode %d", h.Mode)
	}
	if o.CueSounds < CueClassic || o.CueSounds > CueWood {
		bad("unknown cue sound set %d", o.CueSounds)
	}
	if o.CueSounds == CueWood {
		// A knock's top mode is 5.4 times its pitch; the end's second
		// knock is a fourth up.
		for _, p := range []float64{c.Pitch, c.EndPitch * 4 / 3, h.Pitch, hs.Pitch} {
			if p*woodTop >= nyq {
				bad("cue pitch %g Hz is too high for the wood sounds at %d Hz (below 1/%g of the sample rate)", p, o.SampleRate, 2*woodTop)
			}
		}
	}
	if hs.Mode < HoldStartTone || hs.Mode > HoldStartNone {
		bad("unknown hold-start mode %d", hs.Mode)
	}
	if err := CheckLoudness(l.Target); err != nil {
		bad("%v", err)
	}
	if math.IsNaN(l.MaxTruePeak) || l.MaxTruePeak > 0 || l.MaxTruePeak < -30 {
		bad("maximum true peak %g dBTP is out of range (-30 to 0)", l.MaxTruePeak)
	}
	return o, errors.Join(errs...)
}

// The limits of a track's sample rate and loudness target: export, packs and
// the studio take these, and say so in CheckSampleRate's and CheckLoudness's
// words.
const (
	MinSampleRate = 8000
	MaxSampleRate = 192000
	MinLoudness   = -40.0
	MaxLoudness   = -5.0
)

// CheckSampleRate reports a sample rate outside MinSampleRate..MaxSampleRate.
func CheckSampleRate(hz int) error {
	if hz < MinSampleRate || hz > MaxSampleRate {
		return fmt.Errorf("sample rate %d Hz is out of range (%d to %d)", hz, MinSampleRate, MaxSampleRate)
	}
	return nil
}

// CheckLoudness reports a loudness target outside MinLoudness..MaxLoudness.
func CheckLoudness(lufs float64) error {
	if math.IsNaN(lufs) || lufs < MinLoudness || lufs > MaxLoudness {
		return fmt.Errorf("loudness target %g LUFS is out of range (%g to %g; podcasts use -16)", lufs, MinLoudness, MaxLoudness)
	}
	return nil
}

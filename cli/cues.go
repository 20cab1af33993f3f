package cli

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/mixer"
)

// cueFlags shape the sounds the mixer adds around the narration; export and
// play share them, so that both sound the same.
func cueFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.IntFlag{Name: "countdown", Value: 3, Usage: "count down the last `N` seconds of every hold (0: no countdown)"},
		&ucli.BoolFlag{Name: "spoken-countdown", Usage: "say the countdown numbers instead of the short tones"},
		&ucli.StringFlag{Name: "breath-words", Value: "first", Usage: "say \"Breathe in/out\" on the `first` breath of a series, `always` or `never`"},
		&ucli.StringFlag{Name: "cue-sounds", Value: "classic", Usage: "the tones' sounds: `classic` tones, `soft` rounder ones, or `wood` knocks (each with its own end sound, all as level with the voice)"},
		&ucli.StringFlag{Name: "hold-start", Value: "tone", Usage: "mark the start of every hold (and of a rest after silence) with a soft `tone`, a `spoken` \"Hold\", or `none`"},
		&ucli.StringFlag{Name: "halfway", Value: "tone", Usage: "mark the middle of holds of 20 s or more with a `tone`, `spoken` \"Halfway\", or `none`"},
		&ucli.StringFlag{Name: "breath-sound", Value: "noise", Usage: "breathing cue: soft `noise`, a gliding `tone`, a low `pad`, or `none`"},
		&ucli.FloatFlag{Name: "tone-level", Value: 0, Usage: "countdown tones `DB` louder (or, negative, quieter) than the voice"},
		&ucli.DurationFlag{Name: "gap", Value: 500 * time.Millisecond, Usage: "pause `DURATION` between spoken lines (0 for none)"},
	}
}

// cueOptions is what the cue flags set.
type cueOptions struct {
	Countdown   int
	SpokenCount bool
	BreathWords string
	Halfway     string
	HoldStart   string
	CueSounds   string
	BreathSound string
	ToneLevel   float64
	Gap         time.Duration
	fromFlags   bool // set by readCueFlags; the zero value keeps the mixer's defaults
}

func readCueFlags(c *ucli.Command) cueOptions {
	return cueOptions{
		Countdown: c.Int("countdown"), SpokenCount: c.Bool("spoken-countdown"),
		BreathWords: c.String("breath-words"), Halfway: c.String("halfway"), HoldStart: c.String("hold-start"), CueSounds: c.String("cue-sounds"),
		BreathSound: c.String("breath-sound"), ToneLevel: c.Float("tone-level"), Gap: c.Duration("gap"),
		fromFlags: true,
	}
}

// apply sets the mixer's cue options, checking the values.
func (o cueOptions) apply(m *mixer.Options) error {
	if !o.fromFlags {
		return nil
	}
	switch {
	case o.Countdown == 0:
		m.Countdown.Count = -1
	case o.Countdown < 0 || o.Countdown > 10:
		return Usage(fmt.Errorf("--countdown %d: count down 0 to 10 seconds", o.Countdown))
	default:
		m.Countdown.Count = o.Countdown
	}
	m.Countdown.Spoken = o.SpokenCount
	var err error
	if m.Breathing.Say, err = choice("breath-words", o.BreathWords, []string{"first", "always", "never"}, mixer.SayFirst, mixer.SayAlways, mixer.SayNever); err != nil {
		return err
	}
	if m.Halfway.Mode, err = choice("halfway", o.Halfway, []string{"tone", "spoken", "none"}, mixer.HalfwayTone, mixer.HalfwaySpoken, mixer.HalfwayNone); err != nil {
		return err
	}
	if m.HoldStart.Mode, err = choice("hold-start", o.HoldStart, []string{"tone", "spoken", "none"}, mixer.HoldStartTone, mixer.HoldStartSpoken, mixer.HoldStartNone); err != nil {
		return err
	}
	if m.CueSounds, err = choice("cue-sounds", o.CueSounds, mixer.CueSoundNames, mixer.CueClassic, mixer.CueSoft, mixer.CueWood); err != nil {
		return err
	}
	if m.Breathing.Sound, err = choice("breath-sound", o.BreathSound, []string{"noise", "tone", "pad", "none"}, mixer.BreathNoise, mixer.BreathTone, mixer.BreathPad, mixer.BreathNone); err != nil {
		return err
	}
	// The tones' default peak level puts them at the voice's loudness.
	const toneLevel = -17.0
	if math.IsNaN(o.ToneLevel) || o.ToneLevel < -30 || o.ToneLevel > 12 {
		return Usage(fmt.Errorf("--tone-level %g: use -30 to 12 dB", o.ToneLevel))
	}
	if o.ToneLevel != 0 {
		m.Countdown.Level = toneLevel + o.ToneLevel
	}
	switch {
	case o.Gap < 0 || o.Gap > 10*time.Second:
		return Usage(fmt.Errorf("--gap %v: use 0 to 10s", o.Gap))
	case o.Gap == 0:
		m.Gap = -1 // none
	default:
		m.Gap = o.Gap
	}
	return nil
}

// choice gives the value of --flag that the name value picks among names,
// the first for "".
func choice[T any](flag, value string, names []string, values ...T) (T, error) {
	if value == "" {
		return values[0], nil
	}
	if i := slices.Index(names, value); i >= 0 {
		return values[i], nil
	}
	last := len(names) - 1
	return values[0], Usage(fmt.Errorf("--%s %q: use %s or %s", flag, value, strings.Join(names[:last], ", "), names[last]))
}

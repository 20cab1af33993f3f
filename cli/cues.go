package cli

import (
	"fmt"

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
		&ucli.StringFlag{Name: "halfway", Value: "tone", Usage: "mark the middle of holds of 20 s or more with a `tone`, `spoken` \"Halfway\", or `none`"},
	}
}

// cueOptions is what the cue flags set.
type cueOptions struct {
	Countdown   int
	SpokenCount bool
	BreathWords string
	Halfway     string
	fromFlags   bool // set by readCueFlags; the zero value keeps the mixer's defaults
}

func readCueFlags(c *ucli.Command) cueOptions {
	return cueOptions{
		Countdown: c.Int("countdown"), SpokenCount: c.Bool("spoken-countdown"),
		BreathWords: c.String("breath-words"), Halfway: c.String("halfway"),
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
	switch o.BreathWords {
	case "first", "":
		m.Breathing.Say = mixer.SayFirst
	case "always":
		m.Breathing.Say = mixer.SayAlways
	case "never":
		m.Breathing.Say = mixer.SayNever
	default:
		return Usage(fmt.Errorf("--breath-words %q: use first, always or never", o.BreathWords))
	}
	switch o.Halfway {
	case "tone", "":
		m.Halfway.Mode = mixer.HalfwayTone
	case "spoken":
		m.Halfway.Mode = mixer.HalfwaySpoken
	case "none":
		m.Halfway.Mode = mixer.HalfwayNone
	default:
		return Usage(fmt.Errorf("--halfway %q: use tone, spoken or none", o.Halfway))
	}
	return nil
}

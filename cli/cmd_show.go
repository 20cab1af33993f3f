package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	ucli "github.com/urfave/cli/v3"

	"routinecast/export"
	"routinecast/mixer"
	"routinecast/routines"
)

func init() { register(showCommand) }

func showCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "print a routine's script: every cue with its start time, by chapter, and the total",
		ArgsUsage: "ROUTINE",
		Description: `ROUTINE is a built-in name (see 'routinecast list') or a routine file.

Examples:
  routinecast show lower-back
  routinecast show lower-back --level gentle
  routinecast show my-routine.yaml --json | jq .total_seconds`,
		Flags: []ucli.Flag{
			levelFlag(), minutesFlag(),
			&ucli.StringFlag{Name: "voice", Usage: "time the script with the clips of voice `DIR` or cached voice name (default: the built-in voice)"},
			&ucli.BoolFlag{Name: "json", Usage: "print JSON: title, level, total_seconds, chapters and cues"},
			engineFlags()[0], engineFlags()[1],
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("show: expected one ROUTINE, got %d arguments", c.NArg()))
			}
			if err := levelOrMinutes(c); err != nil {
				return err
			}
			return runShow(ctx, env, showOptions{Routine: c.Args().First(), Level: c.String("level"), Minutes: c.Float("minutes"), Voice: c.String("voice"), JSON: c.Bool("json"),
				Engine: c.String("engine"), EngineVoice: c.String("engine-voice")})
		},
	}
}

type showOptions struct {
	Routine string
	Level   string
	Minutes float64
	Voice   string
	JSON    bool
	// Engine, when set, renders the clips the voice lacks first, as export
	// does, so the times are the clips' own.
	Engine, EngineVoice string
}

func runShow(ctx context.Context, env *Env, o showOptions) error {
	level, err := parseLevel(o.Level)
	if err != nil {
		return err
	}
	r, err := loadRoutine(o.Routine)
	if err != nil {
		return err
	}
	length, err := minutesLength(o.Minutes)
	if err != nil {
		return err
	}
	dir, err := prepareEngineVoice(ctx, env, "show", voiceChoice{Voice: o.Voice, Engine: o.Engine, EngineVoice: o.EngineVoice}, r, level)
	if err != nil {
		return err
	}
	var v showView
	eo := export.Options{Routine: r, Level: level, Length: length, Voice: dir}
	job, err := export.Compile(eo)
	var missing *export.MissingClipsError
	switch {
	case errors.As(err, &missing):
		// Without clips the timeline cannot be laid out; show the script with
		// lengths estimated from the words, and say so.
		fmt.Fprintf(env.Stderr, "note: %s has no clip for %d line(s); times are estimated from the words (render them with --engine ENGINE, or 'routinecast voice render')\n", missing.Voice, len(missing.Lines))
		s, err := scriptAt(eo)
		if err != nil {
			return err
		}
		v = scriptView(s)
	case err != nil:
		return exportError(err)
	default:
		v = timelineView(job.Script, job.Timeline)
	}
	if o.JSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	return v.writeText(env.Stdout)
}

// showView is what show prints, as text or JSON. Its field names are the JSON
// format's, which scripts may rely on.
type showView struct {
	Title        string        `json:"title"`
	Level        string        `json:"level"`
	TotalSeconds float64       `json:"total_seconds"`
	Chapters     []showChapter `json:"chapters"`
	Cues         []showCue     `json:"cues"`
}

type showChapter struct {
	Title        string  `json:"title"`
	StartSeconds float64 `json:"start_seconds"`
}

type showCue struct {
	AtSeconds float64 `json:"at_seconds"`
	Kind      string  `json:"kind"`
	Text      string  `json:"text,omitempty"`
	Seconds   float64 `json:"seconds"`
}

// timelineView lists what the timeline plays: each spoken line, phrase, timed
// segment and tone at its real start, from the voice's clips.
func timelineView(s *routines.Script, tl *mixer.Timeline) showView {
	v := showView{Title: s.Title, Level: string(s.Level), Chapters: []showChapter{}, Cues: []showCue{}}
	secs := func(n int) float64 { return round3(float64(n) / float64(tl.SampleRate)) }
	for _, c := range tl.Chapters {
		v.Chapters = append(v.Chapters, showChapter{Title: c.Title, StartSeconds: secs(c.Start)})
	}
	for _, e := range tl.Events {
		kind := string(e.Kind)
		if e.Kind == mixer.Speech && e.Cue >= 0 && e.Cue < len(s.Cues) {
			kind = string(s.Cues[e.Cue].Kind)
		}
		v.Cues = append(v.Cues, showCue{AtSeconds: secs(e.Start), Kind: kind, Text: e.Text, Seconds: secs(e.End - e.Start)})
	}
	v.TotalSeconds = secs(tl.Length)
	return v
}

// scriptView lays the script's cues end to end at their nominal durations.
func scriptView(s *routines.Script) showView {
	v := showView{Title: s.Title, Level: string(s.Level), Chapters: []showChapter{}, Cues: []showCue{}}
	var at float64
	for _, c := range s.Cues {
		if c.Kind == routines.Chapter {
			v.Chapters = append(v.Chapters, showChapter{Title: c.Text, StartSeconds: round3(at)})
			continue
		}
		if c.Settle > 0 {
			v.Cues = append(v.Cues, showCue{AtSeconds: round3(at), Kind: string(mixer.Settle), Seconds: round3(c.Settle.Seconds())})
			at += c.Settle.Seconds()
		}
		v.Cues = append(v.Cues, showCue{AtSeconds: round3(at), Kind: string(c.Kind), Text: c.Text, Seconds: round3(c.Duration.Seconds())})
		at += c.Duration.Seconds()
	}
	v.TotalSeconds = round3(at)
	return v
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func (v showView) writeText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (level %s), %s\n", v.Title, v.Level, clock(v.TotalSeconds))
	ci := 0
	for _, c := range v.Cues {
		for ci < len(v.Chapters) && v.Chapters[ci].StartSeconds <= c.AtSeconds {
			fmt.Fprintf(&b, "\n%s  %d. %s\n", clock(v.Chapters[ci].StartSeconds), ci+1, v.Chapters[ci].Title)
			ci++
		}
		label := strings.ReplaceAll(c.Kind, "_", " ")
		switch c.Kind {
		case "beep", "end_tone", "halfway":
			continue // the countdown is implied by "hold"
		case "say", "count", "phrase":
			fmt.Fprintf(&b, "%s    %-11s %s\n", clock(c.AtSeconds), label, c.Text)
		default:
			fmt.Fprintf(&b, "%s    %-11s %s\n", clock(c.AtSeconds), label, seconds(c.Seconds))
		}
	}
	for ; ci < len(v.Chapters); ci++ {
		fmt.Fprintf(&b, "\n%s  %d. %s\n", clock(v.Chapters[ci].StartSeconds), ci+1, v.Chapters[ci].Title)
	}
	fmt.Fprintf(&b, "\ntotal %s\n", clock(v.TotalSeconds))
	_, err := io.WriteString(w, b.String())
	return err
}

// clock formats seconds as mm:ss (h:mm:ss past an hour), rounding down.
func clock(sec float64) string {
	t := int(sec)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%02d:%02d", t/60, t%60)
}

func seconds(s float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", s), "0"), ".") + "s"
}

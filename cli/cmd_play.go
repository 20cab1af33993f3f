package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v3"

	"routinecast/job"
	"routinecast/mixer"
	"routinecast/session"
)

func playCommand(env *Env) *ucli.Command {
	return described("play", &ucli.Command{
		MutuallyExclusiveFlags: []ucli.MutuallyExclusiveFlags{levelOrMinutes()},
		Flags: append([]ucli.Flag{
			voiceFlag("voice folder `DIR` or cached voice name (default: the built-in voice)"),
			&ucli.StringFlag{Name: "music", Aliases: []string{"m"}, Usage: "music bed under the voice, ducked: a built-in bed (`calm` or `ambient`) or a FILE (WAV, MP3 or FLAC; ./NAME for a file named like a bed)"},
			&ucli.StringFlag{Name: "from", Usage: "start at `CHAPTER`: its number (1 is the first) or the start of its title"},
		}, append(engineFlags(), cueFlags()...)...),
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runPlay(ctx, env, playOptions{
				Routine: firstArg(c),
				Level:   c.String("level"),
				Minutes: c.Float("minutes"),
				Voice:   c.String("voice"),
				Music:   c.String("music"),
				From:    c.String("from"),
				Cues:    readCueFlags(c),
				Resume:  resumeCommand(c),
				Engine:  c.String("engine"), EngineVoice: c.String("engine-voice"),
			})
		},
	})
}

type playOptions struct {
	Routine string
	Level   string
	Minutes float64
	Voice   string
	Music   string
	From    string
	Cues    cueOptions
	// Engine, when set, renders the clips the voice lacks first, as export
	// does.
	Engine, EngineVoice string
	// Resume gives the command line that plays the same again from chapter
	// n; nil leaves it out of the closing line.
	Resume func(chapter int) string
}

// playRate is the rate the audio output is opened at, before the track is
// known; it is export's default, so nothing is resampled in the usual case.
const playRate = 44100

func runPlay(ctx context.Context, env *Env, o playOptions) error {
	// The same checks and pipeline as export, so that play sounds like the file.
	jo, err := jobSettings(ctx, env, "play", exportOptions{Routine: o.Routine, Level: o.Level, Minutes: o.Minutes, Voice: o.Voice, Music: o.Music,
		Loudness: -16, SampleRate: playRate, Cues: o.Cues, Engine: o.Engine, EngineVoice: o.EngineVoice})
	if err != nil {
		return err
	}
	return session.Play(ctx, session.PlayOptions{
		Compile: func() (*job.Job, error) {
			j, err := job.Compile(jo)
			return j, exportError(err)
		},
		Rate: playRate,
		Start: func(tl *mixer.Timeline) (int, error) {
			from, err := playChapterIndex(tl, o.From)
			return from, Usage(err)
		},
		Resume: o.Resume, In: env.Stdin, Out: env.Stdout,
	})
}

// playChapterIndex finds the chapter --from names: a number from 1, or the start
// of a title (case does not matter). "" gives -1: from the start of the track.
func playChapterIndex(tl *mixer.Timeline, from string) (int, error) {
	from = strings.TrimSpace(from)
	if from == "" {
		return -1, nil
	}
	if n, err := strconv.Atoi(from); err == nil {
		if n < 1 || n > len(tl.Chapters) {
			return 0, fmt.Errorf("play: --from %d: the routine has chapters 1 to %d", n, len(tl.Chapters))
		}
		return n - 1, nil
	}
	want := strings.ToLower(from)
	for i, c := range tl.Chapters {
		if strings.HasPrefix(strings.ToLower(c.Title), want) {
			return i, nil
		}
	}
	titles := make([]string, len(tl.Chapters))
	for i, c := range tl.Chapters {
		titles[i] = fmt.Sprintf("%d %s", i+1, c.Title)
	}
	return 0, fmt.Errorf("play: --from %q: no chapter starts with that; the chapters are: %s", from, strings.Join(titles, ", "))
}

// resumeCommand rebuilds the command line of c with --from set to a chapter:
// the routine and every flag the user gave, so that the rest plays the same.
func resumeCommand(c *ucli.Command) func(chapter int) string {
	args := []string{"routinecast", "play", shellQuote(firstArg(c))}
	for _, f := range flagsOf(c) {
		name := f.Names()[0]
		if name == "from" || name == "help" || !c.IsSet(name) {
			continue
		}
		switch v := c.Value(name).(type) {
		case bool:
			if v {
				args = append(args, "--"+name)
			} else {
				args = append(args, "--"+name+"=false")
			}
		default:
			args = append(args, "--"+name, shellQuote(fmt.Sprint(v)))
		}
	}
	return func(chapter int) string {
		return strings.Join(args, " ") + " --from " + strconv.Itoa(chapter)
	}
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

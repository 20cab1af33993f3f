package cli

import (
	"context"
	"runtime"

	ucli "github.com/urfave/cli/v3"

	"routinecast/narration"
	"routinecast/routines"
)

func voiceCommand(env *Env) *ucli.Command {
	return described("voice", &ucli.Command{
		Commands: []*ucli.Command{voiceEnginesCommand(env), voiceListCommand(env), voiceRenderCommand(env),
			voiceCheckCommand(env), voiceScriptCommand(env), voiceImportCommand(env)},
	})
}

// voiceLevelFlags are the --level and --all-levels flags of the voice
// commands, which work on every level unless --level narrows them: a voice
// serves a routine at whatever level it is played.
func voiceLevelFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "level", Aliases: []string{"l"}, Usage: "only `LEVEL`: gentle, standard or full (default: every level)"},
		&ucli.BoolFlag{Name: "all-levels", Usage: "every level (the default; overrides --level)"},
	}
}

// voiceLevels is the levels a voice command works on.
func voiceLevels(c *ucli.Command) ([]routines.Level, error) {
	if c.Bool("all-levels") || c.String("level") == "" {
		return routines.Levels(), nil
	}
	return levelsFor(c.String("level"), false)
}

func voiceEnginesCommand(env *Env) *ucli.Command {
	return described("voice engines", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			return newVoiceTasks(env).listEngines()
		},
	})
}

func voiceRenderCommand(env *Env) *ucli.Command {
	return described("voice render", &ucli.Command{
		Flags: append(voiceLevelFlags(),
			&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "`ENGINE`: festival, flite, espeak-ng or say (default: the voice's, or festival for a new voice)"},
			&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
			voiceFlag("voice folder `DIR`, or a cached voice's name (default: the engine's voice in the cache)"),
			&ucli.StringFlag{Name: "format", Usage: "store new clips as `FORMAT`: wav, flac or mp3 (saved in voice.yaml)"},
			&ucli.IntFlag{Name: "rate", Usage: "store new clips at `HZ` (default the engine's rate, 24000 for mp3)"},
			&ucli.IntFlag{Name: "bitrate", Usage: "MP3 bitrate in `KBPS` (default 40)", Validator: bitrateCheck},
			&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "render `N` lines at once", Validator: jobsCheck},
			&ucli.DurationFlag{Name: "timeout", Value: narration.DefaultTimeout, Usage: "give up on a line after `DURATION`"},
			&ucli.BoolFlag{Name: "prune", Usage: "delete the clips in the folder that none of the routines' lines need"},
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			levels, err := voiceLevels(c)
			if err != nil {
				return err
			}
			o := renderTask{Routines: given(c), Levels: levels, Jobs: c.Int("jobs"), Timeout: c.Duration("timeout"), Prune: c.Bool("prune"),
				Choice: narration.Choice{Voice: c.String("voice"), Engine: c.String("engine"), EngineVoice: c.String("engine-voice")}}
			if c.IsSet("format") || c.IsSet("rate") || c.IsSet("bitrate") {
				o.Clips = &narration.ClipFormat{Format: c.String("format"), SampleRate: c.Int("rate"), Bitrate: c.Int("bitrate")}
			}
			return voiceErr(newVoiceTasks(env).renderVoice(ctx, o))
		},
	})
}

func voiceListCommand(env *Env) *ucli.Command {
	return described("voice list", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			return newVoiceTasks(env).listVoices()
		},
	})
}

func voiceCheckCommand(env *Env) *ucli.Command {
	return described("voice check", &ucli.Command{
		Flags: append(voiceLevelFlags(),
			voiceFlag("voice folder `DIR` or cached voice name (default: the built-in voice)"),
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			levels, err := voiceLevels(c)
			if err != nil {
				return err
			}
			return voiceErr(newVoiceTasks(env).checkVoice(checkTask{Routines: given(c), Levels: levels, Voice: c.String("voice")}))
		},
	})
}

func voiceScriptCommand(env *Env) *ucli.Command {
	return described("voice script", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "csv", Usage: "write the CSV sheet to `FILE` (default NAME-recording.csv)"},
			&ucli.StringFlag{Name: "markdown", Aliases: []string{"md"}, Usage: "write the Markdown sheet to `FILE` (default NAME-recording.md)"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return voiceErr(newVoiceTasks(env).writeScript(scriptTask{Routine: firstArg(c), CSV: c.String("csv"), Markdown: c.String("markdown")}))
		},
	})
}

func voiceImportCommand(env *Env) *ucli.Command {
	return described("voice import", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Required: true, Usage: "voice folder `DIR` (made if it does not exist)"},
			&ucli.StringSliceFlag{Name: "routine", Aliases: []string{"r"}, Usage: "the `ROUTINE` recorded (repeat for several; default every built-in routine)"},
			&ucli.StringFlag{Name: "language", Usage: "`LANG` of a new voice (default the routine's)"},
			&ucli.StringFlag{Name: "name", Usage: "`NAME` of a new voice (default the folder's name)"},
			&ucli.BoolFlag{Name: "as-is", Usage: "copy the recordings unchanged: no trimming, no loudness"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return voiceErr(newVoiceTasks(env).importVoice(ctx, importTask{Dir: firstArg(c), Voice: c.String("voice"),
				Routines: c.StringSlice("routine"), Language: c.String("language"), Name: c.String("name"), AsIs: c.Bool("as-is")}))
		},
	})
}

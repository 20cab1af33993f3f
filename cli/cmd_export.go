package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	ucli "github.com/urfave/cli/v3"

	"routinecast/audio"
	"routinecast/export"
	"routinecast/internal/atomicfile"
	prog "routinecast/internal/progress"
	"routinecast/internal/safefile"
	"routinecast/mixer"
)

func init() { register(exportCommand) }

func exportCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "export",
		Usage:     "render a routine to an audio file (MP3 with chapters, WAV or FLAC)",
		ArgsUsage: "ROUTINE",
		Description: `Renders the routine's narration, countdown beeps and breathing cues on one
timeline, brought to a standard loudness (-16 LUFS, true peak at most -1 dBTP),
and writes it in the format the output's extension names. An MP3 carries ID3
tags and one chapter per section. The file is written whole or not at all.

Examples:
  routinecast export lower-back -o lower-back.mp3
  routinecast export lower-back --level gentle -o gentle.wav --transcript gentle.vtt --chapters gentle.json
  routinecast export my-routine.yaml --voice my-voice --music calm.mp3 -o session.mp3
  routinecast export lower-back -o - --format wav | ffplay -`,
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (.mp3, .wav or .flac); - for standard output"},
			&ucli.StringFlag{Name: "format", Usage: "`FORMAT` for standard output: mp3, wav or flac", Value: "wav"},
			levelFlag(),
			&ucli.StringFlag{Name: "voice", Usage: "voice `DIR` (default: the built-in voice)"},
			&ucli.StringFlag{Name: "music", Usage: "music bed `FILE` (WAV, MP3 or FLAC), looped and ducked under the voice"},
			&ucli.FloatFlag{Name: "loudness", Usage: "target integrated loudness in `LUFS`", Value: -16},
			&ucli.IntFlag{Name: "sample-rate", Usage: "output sample rate in `HZ`", Value: 44100},
			&ucli.BoolFlag{Name: "mono", Usage: "one channel (the default without music)"},
			&ucli.BoolFlag{Name: "stereo", Usage: "two channels (the default with music)"},
			&ucli.IntFlag{Name: "bitrate", Usage: "MP3 bit rate in `KBPS` (default 64 mono, 128 stereo)"},
			&ucli.StringFlag{Name: "cover", Usage: "cover art `FILE` (PNG or JPEG) for an MP3"},
			&ucli.StringFlag{Name: "title", Usage: "MP3 title tag (default: the routine's title and level)"},
			&ucli.StringFlag{Name: "artist", Usage: "MP3 artist tag"},
			&ucli.StringFlag{Name: "transcript", Usage: "also write a WebVTT transcript to `FILE.vtt`"},
			&ucli.StringFlag{Name: "chapters", Usage: "also write Podcasting 2.0 JSON chapters to `FILE.json`"},
		}, cueFlags()...),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("export: expected one ROUTINE, got %d arguments", c.NArg()))
			}
			o := exportOptions{
				Routine: c.Args().First(), Output: c.String("output"), Format: c.String("format"),
				Level: c.String("level"), Voice: c.String("voice"), Music: c.String("music"),
				Loudness: c.Float("loudness"), SampleRate: c.Int("sample-rate"),
				Mono: c.Bool("mono"), Stereo: c.Bool("stereo"), Bitrate: c.Int("bitrate"),
				Cover: c.String("cover"), Title: c.String("title"), Artist: c.String("artist"),
				Transcript: c.String("transcript"), Chapters: c.String("chapters"),
				Cues: readCueFlags(c),
			}
			return runExport(ctx, env, o)
		},
	}
}

type exportOptions struct {
	Routine, Output, Format, Level, Voice, Music string
	Loudness                                     float64
	SampleRate, Bitrate                          int
	Mono, Stereo                                 bool
	Cover, Title, Artist                         string
	Transcript, Chapters                         string
	Cues                                         cueOptions
}

func runExport(ctx context.Context, env *Env, o exportOptions) error {
	if o.Output == "" {
		return Usage(errors.New("export: give the output file with -o FILE (.mp3, .wav or .flac), or -o - for standard output"))
	}
	eo, err := exportSettings(o)
	if err != nil {
		return err
	}
	var format export.Format
	if o.Output == "-" {
		format, err = export.ParseFormat(o.Format)
	} else {
		format, err = export.FormatOf(o.Output)
	}
	if err != nil {
		return Usage(err)
	}
	var bar *prog.Bar
	eo.Progress = func(done, _ int64) { bar.Set(done) }
	eo.Measuring = func() { fmt.Fprintln(env.Stderr, "measuring loudness...") }
	job, err := export.Compile(eo)
	if err != nil {
		return exportError(err)
	}
	bar = prog.New(env.Stderr, "rendering", int64(job.Timeline.Length))
	var w io.Writer = env.Stdout
	var f *atomicfile.File
	if o.Output != "-" {
		if f, err = atomicfile.Create(o.Output); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	res, err := job.Write(ctx, w, format)
	if err != nil {
		if f == nil {
			return Interrupted(exportError(err), "the audio on standard output stops short")
		}
		return Interrupted(exportError(err), "nothing was written")
	}
	bar.Done()
	if err := writeSidecars(job.Timeline, o); err != nil {
		return err
	}
	if f == nil {
		return nil
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d chapters, %.1f LUFS, true peak %.1f dBTP, %d bytes\n",
		o.Output, clock(res.Duration.Seconds()), len(res.Timeline.Chapters), res.Loudness.Integrated, res.Loudness.TruePeak, res.Bytes)
	return nil
}

// maxCoverBytes bounds --cover, which goes into the MP3's tag whole.
const maxCoverBytes = 10 << 20

// exportSettings turns the flags into export options, checking them.
func exportSettings(o exportOptions) (export.Options, error) {
	level, err := parseLevel(o.Level)
	if err != nil {
		return export.Options{}, err
	}
	r, err := loadRoutine(o.Routine)
	if err != nil {
		return export.Options{}, err
	}
	eo := export.Options{
		Routine: r, Level: level, Voice: o.Voice, Music: o.Music,
		Loudness: o.Loudness, SampleRate: o.SampleRate, Bitrate: o.Bitrate,
		Tags: export.Tags{Title: o.Title, Artist: o.Artist},
	}
	if err := o.Cues.apply(&eo.Mixer); err != nil {
		return eo, err
	}
	switch {
	case o.Mono && o.Stereo:
		return eo, Usage(errors.New("export: --mono and --stereo exclude each other"))
	case o.Mono:
		eo.Channels = 1
	case o.Stereo:
		eo.Channels = 2
	}
	if o.Loudness > -5 || o.Loudness < -40 {
		return eo, Usage(fmt.Errorf("export: --loudness %g LUFS is out of range (-40 to -5; podcasts use -16)", o.Loudness))
	}
	if o.SampleRate < 8000 || o.SampleRate > 192000 {
		return eo, Usage(fmt.Errorf("export: --sample-rate %d Hz is out of range", o.SampleRate))
	}
	if o.Cover != "" {
		if eo.Tags.Cover, err = safefile.ReadFile(context.Background(), o.Cover, maxCoverBytes); err != nil {
			return eo, Usage(fmt.Errorf("export: cover: %w", safefile.Short(err)))
		}
	}
	if o.Music != "" {
		if _, err := os.Stat(o.Music); err != nil {
			return eo, Usage(fmt.Errorf("export: music: %w", err))
		}
	}
	if o.Voice != "" {
		if _, err := os.Stat(o.Voice); err != nil {
			return eo, Usage(fmt.Errorf("export: voice: %w", err))
		}
	}
	return eo, nil
}

// exportError marks the errors that come from the user's choices (a format or
// settings the encoder refuses, a voice lacking clips) as bad input.
func exportError(err error) error {
	var missing *export.MissingClipsError
	// A music file or clip that is missing, not a file, or not audio is
	// bad input, like a routine that does not validate.
	badFile := errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, audio.ErrUnsupported) || errors.Is(err, audio.ErrTruncated)
	if errors.Is(err, export.ErrFormat) || errors.As(err, &missing) || errors.Is(err, mixer.ErrOptions) || badFile {
		return Usage(err)
	}
	return err
}

// writeSidecars writes the transcript and chapters files the flags ask for.
func writeSidecars(tl *mixer.Timeline, o exportOptions) error {
	for _, s := range []struct {
		path  string
		write func(io.Writer, *mixer.Timeline) error
	}{{o.Transcript, mixer.WriteVTT}, {o.Chapters, mixer.WriteChaptersJSON}} {
		if s.path == "" {
			continue
		}
		var b bytes.Buffer
		if err := s.write(&b, tl); err != nil {
			return err
		}
		if err := atomicfile.Write(s.path, func(f *atomicfile.File) error { _, err := f.Write(b.Bytes()); return err }); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gopxl/beep/v2"
	ucli "github.com/urfave/cli/v3"
	"routinecast/audio"
	"routinecast/export"
	prog "routinecast/internal/progress"
	"routinecast/internal/safefile"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

func exportCommand(env *Env) *ucli.Command {
	return described("export", &ucli.Command{
		MutuallyExclusiveFlags: []ucli.MutuallyExclusiveFlags{levelOrMinutes(), {Flags: [][]ucli.Flag{
			{&ucli.BoolFlag{Name: "mono", Usage: "one channel (the default without music)"}},
			{&ucli.BoolFlag{Name: "stereo", Usage: "two channels (the default with music)"}},
		}}},
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write to `FILE` (.mp3, .wav or .flac); - for standard output"},
			&ucli.StringFlag{Name: "format", Usage: "`FORMAT` for standard output: mp3, wav or flac", Value: "wav"},
			voiceFlag("voice folder `DIR` or cached voice name (default: the built-in voice)"),
			&ucli.StringFlag{Name: "music", Usage: "music bed under the voice, ducked: a built-in bed (`calm` or `ambient`) or a FILE (WAV, MP3 or FLAC; ./NAME for a file named like a bed)"},
			&ucli.FloatFlag{Name: "loudness", Usage: "target integrated loudness in `LUFS`", Value: -16},
			&ucli.IntFlag{Name: "sample-rate", Usage: "output sample rate in `HZ`", Value: 44100},
			&ucli.IntFlag{Name: "bitrate", Usage: "MP3 bit rate in `KBPS` (default 64 mono, 128 stereo)", Validator: bitrateCheck},
			&ucli.StringFlag{Name: "cover", Usage: "cover art `FILE` (PNG or JPEG) for an MP3"},
			&ucli.StringFlag{Name: "title", Usage: "MP3 title tag (default: the routine's title and level)"},
			&ucli.StringFlag{Name: "artist", Usage: "MP3 artist tag"},
			&ucli.StringFlag{Name: "transcript", Usage: "also write a WebVTT transcript to `FILE.vtt`"},
			&ucli.StringFlag{Name: "chapters", Usage: "also write Podcasting 2.0 JSON chapters to `FILE.json`"},
			&ucli.BoolFlag{Name: "force", Usage: "render even when the MP3 already holds this export"},
			&ucli.BoolFlag{Name: "no-chapter-pictures", Usage: "leave the exercises' pictures out of the MP3's chapters"},
		}, append(engineFlags(), cueFlags()...)...),
		Action: func(ctx context.Context, c *ucli.Command) error {
			o := exportOptions{
				Routine: firstArg(c), Output: c.String("output"), Format: c.String("format"),
				Level: c.String("level"), Voice: c.String("voice"), Music: c.String("music"),
				Loudness: c.Float("loudness"), SampleRate: c.Int("sample-rate"),
				Mono: c.Bool("mono"), Stereo: c.Bool("stereo"), Bitrate: c.Int("bitrate"),
				Cover: c.String("cover"), Title: c.String("title"), Artist: c.String("artist"),
				Transcript: c.String("transcript"), Chapters: c.String("chapters"),
				Cues: readCueFlags(c), Minutes: c.Float("minutes"), Force: c.Bool("force"),
				Engine: c.String("engine"), EngineVoice: c.String("engine-voice"),
				NoChapterPictures: c.Bool("no-chapter-pictures"),
			}
			return runExport(ctx, env, o)
		},
	})
}

type exportOptions struct {
	Routine, Output, Format, Level, Voice, Music string
	Loudness, Minutes                            float64
	SampleRate, Bitrate                          int
	Mono, Stereo                                 bool
	Cover, Title, Artist                         string
	Transcript, Chapters                         string
	Cues                                         cueOptions
	Force                                        bool
	Engine, EngineVoice                          string // render missing clips first (see prepareEngineVoice)
	NoChapterPictures                            bool
}

func runExport(ctx context.Context, env *Env, o exportOptions) error {
	if o.Output == "" {
		return Usage(errors.New("export: give the output file with -o FILE (.mp3, .wav or .flac), or -o - for standard output"))
	}
	if o.Output == "-" && prog.IsTerminal(env.Stdout) {
		return Usage(errors.New("export: -o - would write audio to the terminal: redirect it (-o - > FILE, or | ffplay -) or give -o FILE"))
	}
	if st, err := os.Stat(o.Output); err == nil && st.IsDir() {
		return Usage(fmt.Errorf("export: -o %s is a folder, and -o takes the file to write: give a name in it, such as -o %s", shellWords(o.Output), shellWords(filepath.Join(o.Output, routineStem(o.Routine)+".mp3"))))
	}
	format, err := export.FormatOf(o.Output)
	if o.Output == "-" {
		format, err = export.ParseFormat(o.Format)
	}
	if err != nil {
		return Usage(err)
	}
	if o.Cover != "" && format != export.MP3 {
		name := o.Output
		if name == "-" {
			name = "standard output"
		}
		return Usage(fmt.Errorf("export: --cover is for MP3 files; %s is %s", name, format))
	}
	// Every input and output is checked before anything renders: a bad
	// value found after minutes of work would waste them.
	seen := map[string]string{}
	for _, out := range []struct{ flag, path string }{{"-o", o.Output}, {"--transcript", o.Transcript}, {"--chapters", o.Chapters}} {
		if err := checkOutputPath(out.flag, out.path); err != nil {
			return err
		}
		if abs, err := filepath.Abs(out.path); err == nil && out.path != "" && out.path != "-" {
			if other, dup := seen[abs]; dup {
				return Usage(fmt.Errorf("export: %s and %s both name %s: give each output a file of its own", other, out.flag, out.path))
			}
			seen[abs] = out.flag
		}
	}
	if format == export.MP3 { // the mixer's range, then the encoder's rates, as packs check them
		if err := export.CheckMP3SampleRate(o.SampleRate); err != nil {
			return Usage(fmt.Errorf("export: --sample-rate: %w", err))
		}
	}
	sidecars := export.Sidecars{Transcript: o.Transcript, Chapters: o.Chapters}
	eo, err := writeSettings(o)
	if err != nil {
		return err
	}
	jo, err := jobSettings(ctx, env, "export", o)
	if err != nil {
		return err
	}
	var bar *prog.Bar
	const barTotal = 1000 // export reports its own units: the bar shows their fraction
	eo.Progress = func(done, total int64) { bar.Set(done * barTotal / max(total, 1)) }
	jo.Repaired = func(r narration.CacheRepair) {
		if bar != nil {
			bar.Println(r.String())
		} else {
			fmt.Fprintln(env.Stderr, r.String())
		}
	}
	j, err := job.Compile(jo)
	if err != nil {
		var missing *job.MissingClipsError
		if errors.As(err, &missing) {
			fixMissingClips(missing, o.Routine, o.Voice, jo.Voice)
		}
		return exportError(err)
	}
	if format == export.MP3 && o.Output != "-" && !o.Force && export.UpToDate(j, o.Output, eo) {
		if err := export.WriteSidecars(j.Timeline, sidecars); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%s is up to date (same routine, voice, options and program); --force renders it again\n", o.Output)
		return nil
	}
	bar = prog.New(env.Stderr, "rendering", barTotal)
	res, err := export.Save(ctx, j, o.Output, env.Stdout, format, eo, sidecars)
	if err != nil {
		bar.Stop() // the message starts a line of its own
		if errors.Is(err, export.ErrSuperseded) {
			return fmt.Errorf("%w; run it again to replace it with this one", err)
		}
		kept := "nothing was written"
		if o.Output == "-" {
			kept = "the audio on standard output stops short"
		}
		return Interrupted(exportError(err), kept)
	}
	bar.Done()
	if o.Output == "-" {
		return nil
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d chapters, %.1f LUFS, true peak %.1f dBTP, %d bytes\n",
		o.Output, routines.FormatClock(res.Duration), len(res.Timeline.Chapters), res.Loudness.Integrated, res.Loudness.TruePeak, res.Bytes)
	return nil
}

// writeSettings turns the flags that say how to write the audio into export
// options, checking them.
func writeSettings(o exportOptions) (export.Options, error) {
	eo := export.Options{Bitrate: o.Bitrate, Tags: export.Tags{Title: o.Title, Artist: o.Artist, NoChapterPictures: o.NoChapterPictures}}
	if o.Cover != "" {
		var err error
		if eo.Tags.Cover, err = readCover(o.Cover); err != nil {
			return eo, Usage(err)
		}
	}
	return eo, nil
}

// jobSettings turns the flags that say what to play into job options,
// checking them, and with --engine renders the clips the voice lacks.
func jobSettings(ctx context.Context, env *Env, what string, o exportOptions) (job.Options, error) {
	vc := voiceChoice{Voice: o.Voice, Engine: o.Engine, EngineVoice: o.EngineVoice}
	if o.Engine != "" {
		o.Voice = "" // checked and made by prepareVoice
	}
	jo, err := routineOptions(o.Routine, o.Level, o.Minutes)
	if err != nil {
		return jo, err
	}
	jo.Music = o.Music
	jo.Mixer.Loudness.Target, jo.Mixer.SampleRate = o.Loudness, beep.SampleRate(o.SampleRate)
	if err := o.Cues.apply(&jo.Mixer); err != nil {
		return jo, err
	}
	switch { // --mono and --stereo exclude each other (exportCommand)
	case o.Mono:
		jo.Mixer.Channels = 1
	case o.Stereo:
		jo.Mixer.Channels = 2
	}
	if err := mixer.CheckLoudness(o.Loudness); err != nil {
		return jo, Usage(fmt.Errorf("%s: --loudness: %w", what, err))
	}
	if err := mixer.CheckSampleRate(o.SampleRate); err != nil {
		return jo, Usage(fmt.Errorf("%s: --sample-rate: %w", what, err))
	}
	if o.Music != "" {
		if err := job.CheckMusic(o.Music); err != nil {
			return jo, Usage(fmt.Errorf("%s: --%w", what, err))
		}
	}
	if jo.Voice, err = lookupVoice(o.Voice); err != nil {
		return jo, err
	}
	if jo.Voice != "" {
		if _, err := narration.Open(jo.Voice); err != nil {
			return jo, Usage(err)
		}
	}
	return jo, prepareVoice(ctx, env, what, vc, &jo)
}

// exportError marks the errors that come from the user's choices as bad
// input: a format or settings the encoder refuses, a voice lacking clips, a
// length out of the routine's reach, or a music file or clip that is
// missing, not a regular file, or not audio.
func exportError(err error) error {
	var missing *job.MissingClipsError
	if errors.Is(err, export.ErrFormat) || errors.As(err, &missing) || errors.Is(err, mixer.ErrOptions) || errors.Is(err, job.ErrLength) ||
		errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, audio.ErrUnsupported) || errors.Is(err, audio.ErrTruncated) {
		return Usage(err)
	}
	return err
}

// checkOutputPath checks that a file can be made at path: its folder exists,
// path is not a folder or a device, and a file can be made beside it (it is
// made and removed now, not after the render: a folder that refuses it
// stops the export before any work).
func checkOutputPath(flag, path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return Usage(fmt.Errorf("export: %s %s is a folder; give a file name", flag, path))
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return Usage(fmt.Errorf("export: %s %s: the folder %s does not exist", flag, path, dir))
	}
	if !st.IsDir() {
		return Usage(fmt.Errorf("export: %s %s: %s is not a folder", flag, path, dir))
	}
	if err := export.CheckOutputs(path, export.Sidecars{}); err != nil {
		return Usage(fmt.Errorf("export: %s %s: %w", flag, path, errors.Unwrap(err)))
	}
	return nil
}

// readCover reads --cover, which goes into the MP3's tag whole: a PNG or
// JPEG file (the two formats ID3 pictures and podcast apps take, known by
// their signatures) of at most 10 MB.
func readCover(path string) ([]byte, error) {
	data, err := safefile.ReadFile(context.Background(), path, 10<<20)
	if err != nil {
		return nil, fmt.Errorf("export: cover: %w", safefile.Short(err))
	}
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) && !bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}) {
		return nil, fmt.Errorf("export: --cover %s is not a PNG or JPEG image", path)
	}
	return data, nil
}

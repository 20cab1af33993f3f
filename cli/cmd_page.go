package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/export"
	"routinecast/handout"
	"routinecast/internal/atomicfile"
	prog "routinecast/internal/progress"
	"routinecast/internal/serve"
	"routinecast/job"
	"routinecast/narration"
	"routinecast/pack"
	"routinecast/page"
	"routinecast/routines"
)

func pageCommand(env *Env) *ucli.Command {
	return described("page", &ucli.Command{
		MutuallyExclusiveFlags: []ucli.MutuallyExclusiveFlags{levelOrMinutes()},
		Flags: append([]ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the page and its files into folder `DIR` (made if missing)"},
			voiceFlag("voice folder `DIR` or cached voice name (default: the built-in voice)"),
			&ucli.StringFlag{Name: "music", Usage: "music bed `FILE` (WAV, MP3 or FLAC), looped and ducked under the voice"},
			&ucli.StringFlag{Name: "paper", Value: "a4", Usage: "the handout's paper `SIZE`: a4 or letter"},
		}, engineFlags()...),
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runPage(ctx, env, pageOptions{
				Routine: firstArg(c), Dir: c.String("output"), Paper: c.String("paper"),
				export: exportOptions{
					Level: c.String("level"), Minutes: c.Float("minutes"), Voice: c.String("voice"), Music: c.String("music"),
					Engine: c.String("engine"), EngineVoice: c.String("engine-voice"),
				},
			})
		},
		Commands: []*ucli.Command{pageServeCommand(env)},
	})
}

type pageOptions struct {
	Routine, Dir, Paper string
	export              exportOptions // level, minutes, voice, music, engine
}

// The files of a page folder but the audio and the handout, which are named
// after the routine.
const (
	pageIndex = "index.html"
	pageCues  = "cues.json"
)

func runPage(ctx context.Context, env *Env, o pageOptions) error {
	if o.Dir == "" {
		return Usage(errors.New("page: give the output folder with -o DIR"))
	}
	paper, err := handout.ParsePaper(o.Paper)
	if err != nil {
		return Usage(err)
	}
	made, err := pageFolder(o.Dir)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if made && !done {
			os.Remove(o.Dir) // only if still empty: nothing was written
		}
	}()
	eo := o.export
	eo.Routine, eo.Loudness, eo.SampleRate = o.Routine, -16, 44100
	jo, err := jobSettings(ctx, env, "page", eo)
	if err != nil {
		return err
	}
	jo.Repaired = func(r narration.CacheRepair) { fmt.Fprintln(env.Stderr, r.String()) }
	j, err := job.Compile(jo)
	if err != nil {
		var missing *job.MissingClipsError
		if errors.As(err, &missing) {
			fixMissingClips(missing, o.Routine, eo.Voice, jo.Voice)
		}
		return exportError(err)
	}

	name := pageName(o.Routine)
	audioName, handoutName := name+".mp3", name+".pdf"
	names := []string{audioName, handoutName, pageCues, pageIndex, page.ServiceWorkerName}
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join(o.Dir, n)
	}
	set, err := atomicfile.CreateSet(paths...)
	if err != nil {
		return Usage(fmt.Errorf("page: %w", err))
	}
	defer set.Close()

	bar := prog.New(env.Stderr, "rendering", 1000)
	res, err := export.Write(ctx, set.File(0), j, export.MP3, export.Options{
		Progress: func(done, total int64) { bar.Set(done * 1000 / max(total, 1)) },
	})
	if err != nil {
		bar.Stop()
		return Interrupted(exportError(err), "nothing was written")
	}
	bar.Done()

	ho, err := handout.Session(handout.Options{Paper: paper, Date: time.Now().UTC()}, jo)
	if err != nil {
		return exportError(err)
	}
	ho.Length, ho.Estimated = res.Duration, false // the audio's own length
	var pdf bytes.Buffer
	if err := handout.Write(&pdf, ho); err != nil {
		return err
	}
	f := j.Timeline.Follow()
	f.Title = j.Script.Title
	var cues, index bytes.Buffer
	if err := page.WriteCues(&cues, f); err != nil {
		return err
	}
	label := string(j.Script.Level)
	if jo.Length > 0 {
		label = fmt.Sprintf("%g minutes", eo.Minutes)
	}
	pictures, err := page.PicturesOf(jo.Routine)
	if err != nil {
		return err
	}
	err = page.Write(&index, f, page.Options{
		Title: j.Script.Title, Subtitle: label + " · " + routines.FormatClock(res.Duration),
		Language: j.Script.Language, Audio: audioName, Handout: handoutName, Cues: pageCues, Version: Version,
		Pictures: pictures,
	})
	if err != nil {
		return err
	}
	for i, b := range [][]byte{pdf.Bytes(), cues.Bytes(), index.Bytes(), page.ServiceWorker()} {
		if _, err := set.File(i + 1).Write(b); err != nil {
			return fmt.Errorf("page: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return Interrupted(err, "nothing was written")
	}
	if err := set.Commit(); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	done = true
	fmt.Fprintf(env.Stderr, "wrote %s: %s (%s, %d chapters), %s, %s, %s and %s\n",
		o.Dir, audioName, routines.FormatClock(res.Duration), len(j.Timeline.Chapters), handoutName, pageCues, pageIndex, page.ServiceWorkerName)
	fmt.Fprintf(env.Stderr, "open %s in a browser, put the folder on any web server, or run: routinecast page serve %s\n",
		filepath.Join(o.Dir, pageIndex), shellWords(o.Dir))
	return nil
}

// pageFolder checks the output folder, making it when it is missing (its
// parent must exist); made says whether it did.
func pageFolder(dir string) (made bool, err error) {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return false, Usage(fmt.Errorf("page: -o %s is a file; give a folder", dir))
	case err == nil:
		return false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return false, Usage(fmt.Errorf("page: -o %s: %w", dir, err))
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false, Usage(fmt.Errorf("page: -o %s: the folder %s does not exist", dir, filepath.Dir(dir)))
		}
		return false, Usage(fmt.Errorf("page: -o %s: %w", dir, err))
	}
	return true, nil
}

// pageName names a page's audio and handout after the routine: the
// built-in routine's name, or the routine file's without its extension.
func pageName(routine string) string {
	base := filepath.Base(routine)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	if name == "" || name == "." || strings.HasPrefix(name, ".") {
		return "routine"
	}
	return name
}

func pageServeCommand(env *Env) *ucli.Command {
	return described("page serve", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "`HOST:PORT` to listen on"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runPageServe(ctx, env, pageServeOptions{Dir: firstArg(c), Addr: c.String("addr")})
		},
	})
}

type pageServeOptions struct {
	Dir, Addr string
	// listening, if set, is told the address once the server accepts
	// connections (tests use it).
	listening func(addr string)
}

func runPageServe(ctx context.Context, env *Env, o pageServeOptions) error {
	if o.Dir == "" {
		return Usage(errors.New("page serve: give the folder 'routinecast page' wrote"))
	}
	if _, err := os.Stat(filepath.Join(o.Dir, pageIndex)); err != nil {
		return Usage(fmt.Errorf("page serve: %s holds no page (make one with 'routinecast page ROUTINE -o %s')", o.Dir, o.Dir))
	}
	h, err := pack.FolderHandler(o.Dir)
	if err != nil {
		return Usage(err)
	}
	ln, err := listen("page serve", o.Addr)
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	fmt.Fprintf(env.Stderr, "serving %s at http://%s/ (Ctrl-C stops)\n", o.Dir, addr)
	if o.listening != nil {
		o.listening(addr)
	}
	if err := serve.Serve(ctx, h, ln); err != nil {
		return fmt.Errorf("page serve: %w", err)
	}
	return nil
}

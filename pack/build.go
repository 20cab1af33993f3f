package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/export"
	"routinecast/handout"
	"routinecast/internal/atomicfile"
	"routinecast/internal/filecopy"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/page"
	"routinecast/routines"
)

// BuildOptions tune Build. The zero value is ready to use.
type BuildOptions struct {
	// Version is the program's version. It is one of every episode's inputs:
	// a new version renders every episode again.
	Version string
	// Jobs is how many episodes render at once. Default: the number of cores.
	Jobs int
	// Force renders every episode again, even those whose inputs did not change.
	Force bool
	// Progress, if set, is told as episodes start, advance and finish. Calls
	// never overlap, so it need not be safe for concurrent use.
	Progress func(Progress)
}

// ProgressKind says what a Progress report is about.
type ProgressKind int

// The progress kinds.
const (
	Started   ProgressKind = iota // an episode started rendering
	Measuring                     // an episode's loudness is being measured (a render without output)
	Advanced                      // an episode rendered Done of Total samples
	Rendered                      // an episode was rendered
	Reused                        // an episode's inputs did not change: its files were carried over
	Speaking                      // the built-in engine rendered line Done of Total of an episode with no voice
)

// Progress reports how one episode of a build is going.
type Progress struct {
	Kind    ProgressKind
	Episode *Episode
	// Index is the episode's place among those the build renders (from 0),
	// and Count how many it renders, for every kind but Reused.
	Index, Count int
	Done, Total  int64         // samples, for Advanced
	Duration     time.Duration // the episode's length, for Rendered and Reused
	Bytes        int64         // the MP3 file's size, for Rendered and Reused
	Elapsed      time.Duration // time spent rendering, for Rendered
}

// Report says what a build did.
type Report struct {
	Dir      string
	Episodes []EpisodeReport // in the pack file's order
	Rendered int             // how many episodes were rendered
	Reused   int             // how many were carried over unchanged
}

// Totals are the length and size of all the episodes' audio.
func (r *Report) Totals() (length time.Duration, bytes int64) {
	for _, e := range r.Episodes {
		length += e.Duration
		bytes += e.Bytes
	}
	return length, bytes
}

// EpisodeReport describes one built episode.
type EpisodeReport struct {
	Slug     string
	File     string // the MP3 file's name in Dir
	Duration time.Duration
	Bytes    int64
	Rendered bool // false when the previous build's files were kept
}

// render is export.WriteFile; tests replace it to make an episode fail.
var render = export.WriteFile

// Build renders the pack into dir: an MP3, a chapters file and a transcript
// per episode, the cover, feed.xml and index.html. Episodes whose inputs did
// not change since the build that made dir are not rendered again.
//
// The build happens in a temporary folder beside dir, which replaces dir only
// once everything succeeded: on error or cancellation dir is left exactly as
// it was. A dir that exists must be empty or hold an earlier build; anything
// else is refused rather than replaced.
func Build(ctx context.Context, p *Pack, dir string, o BuildOptions) (*Report, error) {
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	dir = filepath.Clean(dir)
	old, err := previousBuild(dir)
	if err != nil {
		return nil, err
	}
	cover, err := os.ReadFile(p.Cover.Path)
	if err != nil {
		return nil, fmt.Errorf("pack: reading the cover: %w", err)
	}
	if p.Cover.Path == "" || len(cover) == 0 {
		return nil, errors.New("pack: the pack has no cover")
	}
	if cover, err = rgbCover(cover); err != nil {
		return nil, err
	}

	tmp, err := atomicfile.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".building-") // also removes those of killed builds
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
	}()

	b := &builder{p: p, o: o, tmp: tmp, old: old, oldDir: dir, cover: cover}
	if err := b.run(ctx); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		return nil, fmt.Errorf("pack: %w", err)
	}
	if err := replaceDir(tmp, dir); err != nil {
		return nil, fmt.Errorf("pack: replacing %s: %w", dir, err)
	}
	swapped = true

	rep := &Report{Dir: dir}
	for i, e := range p.Episodes {
		r := b.results[i]
		rep.Episodes = append(rep.Episodes, EpisodeReport{
			Slug: e.Slug, File: e.mp3Name(), Duration: r.Duration, Bytes: r.Bytes, Rendered: r.rendered,
		})
		if r.rendered {
			rep.Rendered++
		} else {
			rep.Reused++
		}
	}
	return rep, nil
}

type builder struct {
	p      *Pack
	o      BuildOptions
	tmp    string
	old    *manifest // nil when dir holds no earlier build
	oldDir string
	cover  []byte

	mu      sync.Mutex // serialises Progress calls
	results []result
}

// result is a built episode and what the manifest keeps of it.
type result struct {
	built
	rendered bool
	entry    manifestEpisode
}

func (b *builder) progress(pr Progress) {
	if b.o.Progress == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.o.Progress(pr)
}

func (b *builder) run(ctx context.Context) error {
	p := b.p
	coverFile := fileRecord{Name: coverName(p), Bytes: int64(len(b.cover)), SHA256: sha256Hex(b.cover)}
	if err := writeFileSync(filepath.Join(b.tmp, coverFile.Name), b.cover); err != nil {
		return err
	}

	b.results = make([]result, len(p.Episodes))
	var todo []int
	for i, e := range p.Episodes {
		e, err := b.speaker(ctx, e)
		if err != nil {
			return err
		}
		in, err := b.inputs(e)
		if err != nil {
			return err
		}
		b.results[i].built.ep = e
		b.results[i].entry = manifestEpisode{Slug: e.Slug, Inputs: in}
		if !b.o.Force && b.reuse(&b.results[i]) {
			r := &b.results[i]
			b.progress(Progress{Kind: Reused, Episode: e, Duration: r.Duration, Bytes: r.Bytes})
			continue
		}
		todo = append(todo, i)
	}
	if err := b.renderAll(ctx, todo); err != nil {
		return err
	}
	if err := b.handouts(ctx); err != nil {
		return err
	}
	if err := b.followPages(); err != nil {
		return err
	}

	eps := make([]built, len(b.results))
	m := &manifest{Format: manifestFormat, Generator: "routinecast " + b.o.Version, BaseURL: p.BaseURL, Cover: coverFile}
	for i, r := range b.results {
		eps[i] = r.built
		m.Episodes = append(m.Episodes, r.entry)
	}
	var buf bytes.Buffer
	if err := writeFeed(&buf, p, eps, b.o.Version); err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(b.tmp, "feed.xml"), buf.Bytes()); err != nil {
		return err
	}
	buf.Reset()
	if err := writePage(&buf, p, eps, b.o.Version); err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(b.tmp, "index.html"), buf.Bytes()); err != nil {
		return err
	}
	return m.write(filepath.Join(b.tmp, manifestName))
}

// speaker returns e with the voice that speaks it: its own, or when it
// names none, the embedded voice if it speaks every line of the routine at
// every level (a length is fitted between them), else the built-in engine's
// voice, whose missing clips are rendered here.
func (b *builder) speaker(ctx context.Context, e *Episode) (*Episode, error) {
	if e.Voice != "" {
		return e, nil
	}
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		s, err := routines.Expand(e.Routine, l)
		if err != nil {
			return nil, fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
		}
		scripts = append(scripts, s)
	}
	dir, err := narration.SpeakerFor(ctx, scripts[0].Language, narration.Texts(narration.Lines(scripts...)), narration.RenderOptions{
		Progress: func(pr narration.Progress) {
			b.progress(Progress{Kind: Speaking, Episode: e, Done: int64(pr.Done), Total: int64(pr.Total)})
		},
	})
	if err != nil {
		return nil, fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
	}
	spoken := *e
	spoken.Voice = dir
	return &spoken, nil
}

// renderAll renders the episodes at indexes todo, o.Jobs at a time. The first
// failure cancels the others.
func (b *builder) renderAll(ctx context.Context, todo []int) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, b.o.Jobs)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for k, i := range todo {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if ctx.Err() != nil {
				return
			}
			if err := b.renderOne(ctx, i, k, len(todo)); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		// Episodes cancelled because another failed say only that; keep the cause.
		var real []error
		for _, err := range errs {
			if !errors.Is(err, context.Canceled) {
				real = append(real, err)
			}
		}
		if len(real) > 0 {
			return errors.Join(real...)
		}
		return errors.Join(errs...)
	}
	return ctx.Err()
}

func (b *builder) renderOne(ctx context.Context, i, k, count int) error {
	p, r := b.p, &b.results[i]
	e := r.ep
	start := time.Now()
	b.progress(Progress{Kind: Started, Episode: e, Index: k, Count: count})
	jo := job.Options{
		Routine: e.Routine,
		Level:   e.Level,
		Length:  e.length(),
		Voice:   e.Voice,
		Music:   e.Music,
		Mixer:   p.Audio.mixer(),
	}
	opt := export.Options{
		Bitrate: p.Audio.Bitrate,
		Tags:    b.tags(e),
		Measuring: func() {
			b.progress(Progress{Kind: Measuring, Episode: e, Index: k, Count: count})
		},
		Progress: func(done, total int64) {
			b.progress(Progress{Kind: Advanced, Episode: e, Index: k, Count: count, Done: done, Total: total})
		},
	}
	mp3Path := filepath.Join(b.tmp, e.mp3Name())
	res, err := render(ctx, mp3Path, jo, opt)
	if err != nil {
		return fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
	}
	if res.Timeline == nil {
		return fmt.Errorf("pack: episode %d (%s): the exporter returned no timeline", e.Number, e.Slug)
	}
	var chapters, vtt bytes.Buffer
	// The chapters file is titled with the episode, as apps show it.
	titled := *res.Timeline
	titled.Title = e.Title
	if err := mixer.WriteChaptersJSON(&chapters, &titled); err != nil {
		return fmt.Errorf("pack: episode %d (%s): chapters: %w", e.Number, e.Slug, err)
	}
	if err := mixer.WriteVTT(&vtt, res.Timeline); err != nil {
		return fmt.Errorf("pack: episode %d (%s): transcript: %w", e.Number, e.Slug, err)
	}
	if err := writeFileSync(filepath.Join(b.tmp, e.chaptersName()), chapters.Bytes()); err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(b.tmp, e.vttName()), vtt.Bytes()); err != nil {
		return err
	}
	f := res.Timeline.Follow()
	f.Title = e.Title
	var cues bytes.Buffer
	if err := page.WriteCues(&cues, f); err != nil {
		return fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
	}
	if err := writeFileSync(filepath.Join(b.tmp, e.cuesName()), cues.Bytes()); err != nil {
		return err
	}

	r.rendered = true
	r.Duration = res.Duration
	for _, c := range res.Timeline.Chapters {
		r.Chapters = append(r.Chapters, Chapter{Title: c.Title, Start: res.Timeline.Time(c.Start)})
	}
	r.entry.Duration = r.Duration
	r.entry.Chapters = r.Chapters
	for _, name := range e.files() {
		rec, err := recordFile(b.tmp, name)
		if err != nil {
			return err
		}
		r.entry.Files = append(r.entry.Files, rec)
	}
	r.Bytes = r.entry.Files[0].Bytes
	b.progress(Progress{Kind: Rendered, Episode: e, Index: k, Count: count, Duration: r.Duration, Bytes: r.Bytes, Elapsed: time.Since(start)})
	return nil
}

// followPages writes every episode's follow-along page (see package page)
// from its cues, carried over or rendered: the page that plays the episode
// and shows where the listener is. Pages are cheap, and name the episode's
// files, which a new slug renames, so every build makes them.
func (b *builder) followPages() error {
	for i := range b.results {
		e := b.results[i].ep
		src, err := os.ReadFile(filepath.Join(b.tmp, e.cuesName()))
		if err != nil {
			return fmt.Errorf("pack: %w", err)
		}
		var f mixer.Follow
		if err := json.Unmarshal(src, &f); err != nil {
			return fmt.Errorf("pack: episode %d (%s): %s: %w", e.Number, e.Slug, e.cuesName(), err)
		}
		pictures, err := page.PicturesOf(e.Routine)
		if err != nil {
			return fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
		}
		var html bytes.Buffer
		err = page.Write(&html, f, page.Options{
			Title: e.Title, Subtitle: b.p.Title + " · " + string(e.levelName()), Language: transcriptLanguage(e, b.p),
			Audio: e.mp3Name(), Handout: e.handoutName(), Cues: e.cuesName(), Back: "index.html#" + e.Slug, Version: b.o.Version,
			Pictures: pictures,
		})
		if err != nil {
			return fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
		}
		if err := writeFileSync(filepath.Join(b.tmp, e.followName()), html.Bytes()); err != nil {
			return err
		}
	}
	return writeFileSync(filepath.Join(b.tmp, page.ServiceWorkerName), page.ServiceWorker())
}

// tags are the ID3 tags of an episode's MP3.
// mixer is the export's mixer options the pack's audio settings give.
func (a Audio) mixer() mixer.Options {
	var mo mixer.Options
	mo.SampleRate, mo.Channels, mo.Loudness.Target = beep.SampleRate(a.SampleRate), a.Channels, a.Loudness
	return mo
}

func (b *builder) tags(e *Episode) export.Tags {
	return export.Tags{
		Title:    e.Title,
		Artist:   b.p.Author,
		Album:    b.p.Title,
		Comment:  e.Description,
		Language: transcriptLanguage(e, b.p), // export makes it ISO 639-2 for ID3
		Date:     e.Published.Format("2006-01-02"),
		Track:    e.Number,
		Cover:    b.cover,
	}
}

// reuse carries over the previous build's files for an episode whose inputs
// are unchanged, after checking that they are still the files it made. The
// files are matched by inputs, not by name, so renaming a slug renames them.
func (b *builder) reuse(r *result) bool {
	if b.old == nil {
		return false
	}
	var prev *manifestEpisode
	for i := range b.old.Episodes {
		if b.old.Episodes[i].Inputs == r.entry.Inputs {
			prev = &b.old.Episodes[i]
		}
	}
	names := r.ep.files()
	if prev == nil || len(prev.Files) != len(names) {
		return false
	}
	for _, f := range prev.Files {
		if !f.matches(filepath.Join(b.oldDir, f.Name)) {
			return false
		}
	}
	for k, f := range prev.Files {
		if err := filecopy.LinkOrCopy(filepath.Join(b.oldDir, f.Name), filepath.Join(b.tmp, names[k])); err != nil {
			return false
		}
		rec := f
		rec.Name = names[k]
		r.entry.Files = append(r.entry.Files, rec)
	}
	r.entry.Duration = prev.Duration
	r.entry.Chapters = prev.Chapters
	r.Duration = prev.Duration
	r.Chapters = prev.Chapters
	r.Bytes = prev.Files[0].Bytes
	return true
}

// writeFileSync writes a file of the build and flushes it to disk, so that
// the folder swapped in later is complete even after a crash.
func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("pack: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("pack: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return nil
}

// handouts writes every episode's printable handout, SLUG.pdf, from its
// routine at its level (or stretched to its length, as its audio was) and
// its length as built. They are cheap to make, so every build makes them.
func (b *builder) handouts(ctx context.Context) error {
	p := b.p
	for i := range b.results {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := &b.results[i]
		e := r.ep
		routine, level := e.Routine, e.Level
		if e.Minutes != 0 {
			fit, err := job.Fit(job.Options{
				Routine: e.Routine, Voice: e.Voice, Mixer: p.Audio.mixer(),
			}, e.length())
			if err != nil {
				return fmt.Errorf("pack: episode %d (%s): handout: %w", e.Number, e.Slug, err)
			}
			routine, level = fit.Routine, routines.Standard
		}
		sum := handout.Summarize(routine, level)
		r.Summary, r.Routine = &sum, routine
		err := handout.WriteFile(filepath.Join(b.tmp, e.handoutName()), handout.Options{
			Routine: routine, Level: level, Label: string(e.levelName()), Length: r.Duration,
			Paper: paperFor(p.Language), URL: p.BaseURL + "#" + e.Slug, Date: e.Published,
		})
		if err != nil {
			return fmt.Errorf("pack: episode %d (%s): %w", e.Number, e.Slug, err)
		}
	}
	return nil
}

// paperFor picks the paper a pack's readers most likely print on: Letter in
// the United States and Canada, A4 elsewhere.
func paperFor(lang string) handout.Paper {
	switch l := strings.ToLower(lang); {
	case strings.HasSuffix(l, "-us"), strings.HasSuffix(l, "-ca"):
		return handout.Letter
	}
	return handout.A4
}

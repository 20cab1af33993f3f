package pack

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // cover formats that DecodeConfig must know
	_ "image/png"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"routinecast/export"
	"routinecast/internal/safefile"
	"routinecast/internal/typo"
	"routinecast/internal/yamlfile"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// Limits of a pack file.
const (
	maxFileBytes   = 1 << 20
	maxEpisodes    = 1000
	maxTitle       = 255
	maxDescription = 4000 // Apple's limit for a description, in bytes
	maxCoverBytes  = 10 << 20
	minCoverPixels = 1400 // Apple Podcasts: 1400 x 1400 to 3000 x 3000
	maxCoverPixels = 3000
	maxSlug        = 80
	// maxRoutineBytes bounds all the routine files of a pack together.
	maxRoutineBytes = 32 << 20
)

// Load reads and validates a pack file (see Parse), then the files it
// names: it reads and validates every routine file, finds each voice folder
// or cached voice, sees that each music file exists, and reads the cover's
// header. Every problem is reported at once, as Errors: the pack file's as
// file:line:col, followed by those of the routine files.
func Load(path string) (*Pack, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load, stopping when ctx ends. The pack file and every file
// it names must be regular files of a bounded size: a folder, device or FIFO
// is an error at the field that names it, returned at once.
func LoadContext(ctx context.Context, path string) (*Pack, error) {
	src, err := yamlfile.ReadFile(ctx, path, "pack", maxFileBytes)
	var e *Error
	if errors.As(err, &e) {
		return nil, Errors{e}
	} else if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	d := newDecoder(ctx, path)
	p := d.parse(src)
	d.files(p)
	return d.result(p)
}

// Parse validates a pack file's YAML source and touches no file: the paths
// it names (cover, routines, voices, music) are resolved against the folder
// of name, the file's path, but neither read nor looked up (Load does), and
// episodes take their titles and descriptions from the pack file only.
// Error messages start with name.
func Parse(name string, src []byte) (*Pack, error) {
	d := newDecoder(context.Background(), name)
	return d.result(d.parse(src))
}

func newDecoder(ctx context.Context, name string) *decoder {
	return &decoder{Decoder: &yamlfile.Decoder{File: name, Kind: "pack"}, ctx: ctx, dir: filepath.Dir(name), loaded: map[string]*loadedRoutine{}}
}

// result is the pack, or every problem found in it, sorted.
func (d *decoder) result(p *Pack) (*Pack, error) {
	name := d.File
	d.Sort()
	all := append(Errors(d.Errs), d.routineErrs...)
	if len(all) > 0 {
		return nil, all
	}
	p.File = name
	return p, nil
}

type decoder struct {
	*yamlfile.Decoder
	ctx         context.Context
	dir         string
	routineErrs Errors
	loaded      map[string]*loadedRoutine // by resolved path, so a file shared by episodes is read once
	// The pack's music and where it is named: what an episode without its
	// own gets.
	packMusic    string
	packMusicRel string // the file it names, as written; "" for a bed
	packMusicAt  yamlfile.Pos
	// routineBytes counts the routine files read: they stay in memory for
	// the build, so together they are bounded as one file is.
	routineBytes int
}

type loadedRoutine struct {
	r   *routines.Routine
	src []byte
}

// resolve makes a path from the pack file relative to the pack file's folder.
func (d *decoder) resolve(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(d.dir, filepath.FromSlash(p))
}

func (d *decoder) parse(src []byte) *Pack {
	p := &Pack{Language: "en"}
	body := d.Parse(src, "a pack needs a title, author, description, cover, base_url, categories and episodes")
	if body == nil {
		return p
	}
	m, fl, ok := d.Document(body, packDef.Keys())
	if !ok {
		return p
	}
	for _, req := range packDef.Required() {
		if fl[req] == nil && req != "email" { // email's message says why below
			d.Errorf(yamlfile.PosOf(m), "missing required field %q", req)
		}
	}
	if fl["email"] == nil {
		d.Errorf(yamlfile.PosOf(m), "missing required field \"email\": the owner's address, which Apple Podcasts requires (itunes:owner) and uses to confirm the podcast is yours")
	}
	p.Locked = true
	if n := fl["locked"]; n != nil {
		p.Locked = d.boolean(n, "locked")
	}
	p.Title = d.text(fl["title"], "title", maxTitle, true)
	p.Author = d.text(fl["author"], "author", maxTitle, true)
	p.Description = d.text(fl["description"], "description", maxDescription, true)
	p.Copyright = d.text(fl["copyright"], "copyright", maxTitle, false)
	if n := fl["language"]; n != nil {
		p.languageSet = true
		p.Language = d.text(n, "language", 35, true)
		if tag, ok := routines.TagOfLanguageName(p.Language); ok {
			d.Errorf(yamlfile.PosOf(n), "language: %q is a language's name; give its tag: language: %s", p.Language, tag)
		} else if p.Language != "" && !languageTag.MatchString(p.Language) {
			d.Errorf(yamlfile.PosOf(n), "language: %q is not a language tag such as en or en-GB", p.Language)
		}
	}
	if n := fl["email"]; n != nil {
		p.Email = d.text(n, "email", maxTitle, true)
		if p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, " <>")) {
			d.Errorf(yamlfile.PosOf(n), "email: %q is not an e-mail address", p.Email)
		}
	}
	if n := fl["base_url"]; n != nil {
		p.BaseURL = d.baseURL(n)
	}
	p.Link = p.BaseURL
	if n := fl["link"]; n != nil {
		p.Link = d.webURL(n, "link")
	}
	if n := fl["cover"]; n != nil {
		p.coverAt = yamlfile.PosOf(n)
		if p.coverRel = d.text(n, "cover", 1000, true); p.coverRel != "" {
			p.Cover.Path = d.resolve(p.coverRel)
		}
	}
	if n := fl["categories"]; n != nil {
		p.Categories = d.categories(n)
	}
	if n := fl["explicit"]; n != nil {
		p.Explicit = d.boolean(n, "explicit")
	}
	if n := fl["audio"]; n != nil {
		p.Audio = d.audio(n)
	}
	if n := fl["music"]; n != nil {
		// Read before the episodes, which take it when they name none.
		d.packMusic, d.packMusicRel = d.music(n, "music")
		d.packMusicAt = yamlfile.PosOf(n)
		p.Music = d.packMusic
	}
	if n := fl["episodes"]; n != nil {
		p.Episodes = d.episodes(n)
	}
	return p
}

// files reads what the paths in the pack name, reporting each problem at the
// field that names the file: the cover's header, each episode's routine
// (and the title and description it gives the episode), voice and music.
func (d *decoder) files(p *Pack) {
	if p.coverRel != "" {
		p.Cover = d.cover(p.coverAt, p.coverRel)
	}
	for _, e := range p.Episodes {
		what := fmt.Sprintf("episode %d", e.Number)
		if e.RoutineRef != "" {
			d.routine(e.routineAt, what, e)
		}
		if e.Routine != nil {
			if e.Title == "" {
				e.Title = fmt.Sprintf("%s (%s)", e.Routine.Title, e.levelName())
			}
			if e.Description == "" {
				e.Description = e.Routine.Description
			}
		}
		if e.voiceRel != "" {
			d.voice(what, e)
		}
		if e.musicRel != "" && e.musicAt != d.packMusicAt {
			d.musicFile(e.musicAt, what+": music", e.Music, e.musicRel)
		}
	}
	if d.packMusicRel != "" {
		d.musicFile(d.packMusicAt, "music", d.packMusic, d.packMusicRel)
	}
	if !p.languageSet {
		p.Language = episodesLanguage(p.Episodes, p.Language)
	}
}

// musicFile reports a music file that is missing or not a file.
func (d *decoder) musicFile(at yamlfile.Pos, field, path, rel string) {
	if st, err := os.Stat(path); err != nil {
		d.Errorf(at, "%s: %v", field, shortPathErr(err))
	} else if !st.Mode().IsRegular() {
		d.Errorf(at, "%s: %s is not a file", field, rel)
	}
}

// voice finds an episode's voice: a folder beside the pack, or else, for a
// plain name, a voice in the cache (as --voice takes it).
func (d *decoder) voice(what string, e *Episode) {
	rel := e.voiceRel
	st, err := os.Stat(e.Voice)
	if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(rel, `/\`) && rel != "." && rel != ".." {
		// A name, as --voice takes it: a voice in the cache.
		// A folder beside the pack wins, as a folder does for --voice.
		e.Voice, err = cachedVoice(rel)
		if err != nil {
			d.Errorf(e.voiceAt, "%s: voice: %v", what, err)
		}
	} else if err != nil {
		d.Errorf(e.voiceAt, "%s: voice: %v", what, shortPathErr(err))
	} else if !st.IsDir() {
		d.Errorf(e.voiceAt, "%s: voice: %s is not a folder (a voice is a folder of clips)", what, rel)
	}
}

// episodesLanguage is the language every episode's routine is in, or def
// when they differ or have none.
func episodesLanguage(eps []*Episode, def string) string {
	lang := ""
	for _, e := range eps {
		if e.Routine == nil || e.Routine.Language == "" {
			return def
		}
		if lang != "" && lang != e.Routine.Language {
			return def
		}
		lang = e.Routine.Language
	}
	if lang == "" {
		return def
	}
	return lang
}

var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// text reads a scalar as text with runs of white space made one space (block
// scalars keep their paragraphs). An empty value is an error when required.
func (d *decoder) text(n ast.Node, what string, max int, required bool) string {
	if n == nil { // a missing field is not an empty one: the caller judges it
		return ""
	}
	s, ok := d.Text(n, what)
	if !ok {
		return ""
	}
	if _, literal := n.(*ast.LiteralNode); literal {
		s = strings.TrimSpace(s)
	} else {
		s = strings.Join(strings.Fields(s), " ")
	}
	switch {
	case s == "" && required:
		d.Errorf(yamlfile.PosOf(n), "%s: empty", what)
	case len(s) > max:
		d.Errorf(yamlfile.PosOf(n), "%s: %d bytes long; at most %d", what, len(s), max)
	}
	return s
}

func (d *decoder) boolean(n ast.Node, what string) bool {
	n, ok := d.Plain(n, what)
	if !ok {
		return false
	}
	b, ok := n.(*ast.BoolNode)
	if !ok {
		d.Errorf(yamlfile.PosOf(n), "%s: expected true or false, found %s", what, yamlfile.KindName(n))
		return false
	}
	return b.Value
}

func (d *decoder) number(n ast.Node, what string, lo, hi float64) float64 {
	n, ok := d.Plain(n, what)
	if !ok {
		return 0
	}
	s, isScalar := yamlfile.Scalar(n)
	var v float64
	var err error
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		v, err = strconv.ParseFloat(s, 64)
	default:
		isScalar = false
	}
	if !isScalar || err != nil {
		d.Errorf(yamlfile.PosOf(n), "%s: expected a number, found %s", what, yamlfile.KindName(n))
		return 0
	}
	if v < lo || v > hi {
		d.Errorf(yamlfile.PosOf(n), "%s: %s is outside %g to %g", what, s, lo, hi)
		return 0
	}
	return v
}

func (d *decoder) webURL(n ast.Node, what string) string {
	s := d.text(n, what, 2000, true)
	if s == "" {
		return ""
	}
	if err := routines.CheckWebURL(s); err != nil {
		d.Errorf(yamlfile.PosOf(n), "%s: %v", what, err)
		return ""
	}
	return s
}

func (d *decoder) baseURL(n ast.Node) string {
	s := d.webURL(n, "base_url")
	if s == "" {
		return ""
	}
	u, _ := url.Parse(s)
	if u.RawQuery != "" || u.Fragment != "" {
		d.Errorf(yamlfile.PosOf(n), "base_url: %q has a query or fragment; give the folder the pack is published in", s)
		return ""
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}

// cover checks the artwork as Apple Podcasts requires it: PNG or JPEG, square,
// 1400 to 3000 pixels a side.
func (d *decoder) cover(at yamlfile.Pos, rel string) Cover {
	path := d.resolve(rel)
	f, err := safefile.Open(path, maxCoverBytes)
	var nr *safefile.NotRegularError
	switch {
	case errors.As(err, &nr):
		d.Errorf(at, "cover: %s is %s, not an image", rel, nr.What)
		return Cover{}
	case errors.Is(err, safefile.ErrTooLarge):
		d.Errorf(at, "cover: %s is larger than %d bytes (every episode carries a copy)", rel, maxCoverBytes)
		return Cover{}
	case err != nil:
		d.Errorf(at, "cover: %v", shortPathErr(err))
		return Cover{}
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		d.Errorf(at, "cover: %s is not a PNG or JPEG image (%v)", rel, err)
		return Cover{}
	}
	c := Cover{Path: path, Width: cfg.Width, Height: cfg.Height}
	switch format {
	case "png":
		c.Type = "image/png"
	case "jpeg":
		c.Type = "image/jpeg"
	default:
		d.Errorf(at, "cover: %s is a %s image; Apple Podcasts takes PNG or JPEG", rel, format)
		return Cover{}
	}
	if c.Width != c.Height || c.Width < minCoverPixels || c.Width > maxCoverPixels {
		d.Errorf(at, "cover: %s is %dx%d pixels; Apple Podcasts needs a square image of %d to %d pixels a side",
			rel, c.Width, c.Height, minCoverPixels, maxCoverPixels)
		return Cover{}
	}
	return c
}

// shortPathErr drops the "open" operation from a path error: "no such file
// or directory" after the path says enough.
func shortPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

func (d *decoder) categories(n ast.Node) []Category {
	var items []ast.Node
	if _, ok := yamlfile.Scalar(n); ok {
		items = []ast.Node{n} // a single category
	} else if seq, ok := d.Sequence(n, "categories"); ok {
		items = seq.Values
	} else {
		return nil
	}
	if len(items) == 0 {
		d.Errorf(yamlfile.PosOf(n), "categories: give at least one Apple Podcasts category, such as \"Health & Fitness/Fitness\"")
	}
	var out []Category
	seen := map[Category]bool{}
	for _, v := range items {
		s := d.text(v, "categories", 200, true)
		if s == "" {
			continue
		}
		c, err := parseCategory(s)
		if err != nil {
			d.Errorf(yamlfile.PosOf(v), "categories: %v", err)
			continue
		}
		if seen[c] {
			d.Errorf(yamlfile.PosOf(v), "categories: %q is listed twice", s)
			continue
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

func (d *decoder) audio(n ast.Node) Audio {
	if _, null := n.(*ast.NullNode); null {
		return Audio{}
	}
	m, ok := d.Mapping(n, "audio")
	if !ok {
		return Audio{}
	}
	f := d.Fields(m, "audio", audioDef.Keys())
	var a Audio
	if v := f["bitrate"]; v != nil {
		a.Bitrate = int(d.number(v, "audio.bitrate", 8, 320))
	}
	if v := f["sample_rate"]; v != nil {
		n := len(d.Errs)
		a.SampleRate = int(d.number(v, "audio.sample_rate", math.Inf(-1), math.Inf(1)))
		// A pack's episodes are MP3 files: the mixer's range, then the
		// encoder's rates, in export's words (a value that is no number
		// was reported already).
		if err := export.CheckMP3SampleRate(a.SampleRate); len(d.Errs) == n && err != nil {
			d.Errorf(yamlfile.PosOf(v), "audio.sample_rate: %v", err)
		}
	}
	if v := f["channels"]; v != nil {
		a.Channels = int(d.number(v, "audio.channels", 1, 2))
	}
	if v := f["loudness"]; v != nil {
		n := len(d.Errs)
		a.Loudness = d.number(v, "audio.loudness", math.Inf(-1), math.Inf(1))
		if err := mixer.CheckLoudness(a.Loudness); len(d.Errs) == n && err != nil {
			d.Errorf(yamlfile.PosOf(v), "audio.loudness: %v", err)
		}
	}
	return a
}

// music reads a music field (named field in messages), the pack's or an
// episode's: a built-in bed's name, as export's --music takes it
// (job.IsBed), a music file beside the pack ("./calm.wav" for a file named
// like a bed), or "none": no music, for an episode under a pack's. It
// returns the bed's name or the resolved file, "" for none and when the
// field is wrong (reported).
func (d *decoder) music(v ast.Node, field string) (music, rel string) {
	rel = d.text(v, field, 1000, true)
	if rel == NoMusic {
		return "", ""
	}
	if rel == "" || job.IsBed(rel) {
		return rel, ""
	}
	if ext := strings.ToLower(filepath.Ext(rel)); ext != ".mp3" && ext != ".wav" && ext != ".flac" {
		d.Errorf(yamlfile.PosOf(v), "%s: %s is neither a built-in bed (%s), %s, nor an .mp3, .wav or .flac file", field, rel, strings.Join(mixer.BedNames(), ", "), NoMusic)
		return "", ""
	}
	return d.resolve(rel), rel
}

func (d *decoder) episodes(n ast.Node) []*Episode {
	seq, ok := d.Sequence(n, "episodes")
	if !ok {
		return nil
	}
	switch {
	case len(seq.Values) == 0:
		d.Errorf(yamlfile.PosOf(n), "episodes: a pack needs at least one episode")
	case len(seq.Values) > maxEpisodes:
		d.Errorf(yamlfile.PosOf(n), "episodes: %d episodes; at most %d", len(seq.Values), maxEpisodes)
		return nil
	}
	var out []*Episode
	slugs := map[string]int{}
	for i, v := range seq.Values {
		e, slugNode := d.episode(v, i+1)
		if e == nil {
			continue
		}
		if e.Slug != "" {
			if first, dup := slugs[e.Slug]; dup {
				at := yamlfile.PosOf(v)
				if slugNode != nil {
					at = yamlfile.PosOf(slugNode)
				}
				d.Errorf(at, "episode %d: its files would be named %q like episode %d's; give it a slug of its own (slug: ...)", e.Number, e.Slug, first)
			} else {
				slugs[e.Slug] = e.Number
			}
		}
		out = append(out, e)
	}
	return out
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (d *decoder) episode(n ast.Node, num int) (*Episode, ast.Node) {
	what := fmt.Sprintf("episode %d", num)
	m, ok := d.Mapping(n, what)
	if !ok {
		return nil, nil
	}
	f := d.Fields(m, what, episodeDef.Keys())
	e := &Episode{Number: num, Level: routines.Standard}
	if f["routine"] == nil {
		d.Errorf(yamlfile.PosOf(m), "%s: missing required field \"routine\" (a built-in name such as lower-back, or a routine file)", what)
	}
	if f["published"] == nil {
		d.Errorf(yamlfile.PosOf(m), "%s: missing required field \"published\" (a date such as 2026-01-05)", what)
	}
	if v := f["level"]; v != nil {
		s := d.text(v, what+": level", 20, true)
		e.Level = ""
		if l, err := routines.ParseLevel(s); err == nil {
			e.Level = l
		} else if s != "" { // an empty level is reported already
			d.Errorf(yamlfile.PosOf(v), "%s: level %q is not gentle, standard or full", what, s)
		}
	}
	if v := f["minutes"]; v != nil {
		e.Minutes = d.number(v, what+": minutes", 1, 600)
		if f["level"] != nil {
			d.Errorf(yamlfile.PosOf(v), "%s: give a level or minutes, not both", what)
		}
	}
	if v := f["routine"]; v != nil {
		e.routineAt = yamlfile.PosOf(v)
		e.RoutineRef = d.text(v, what+": routine", 1000, true)
	}
	if v := f["published"]; v != nil {
		e.Published = d.date(v, what+": published")
	}
	if v := f["voice"]; v != nil {
		e.voiceAt = yamlfile.PosOf(v)
		if e.voiceRel = d.text(v, what+": voice", 1000, true); e.voiceRel != "" {
			e.Voice = d.resolve(e.voiceRel)
		}
	}
	if v := f["music"]; v != nil {
		e.musicAt = yamlfile.PosOf(v)
		e.Music, e.musicRel = d.music(v, what+": music")
	} else {
		e.Music, e.musicRel, e.musicAt = d.packMusic, d.packMusicRel, d.packMusicAt
	}
	slugNode := f["slug"]
	if slugNode != nil {
		e.Slug = d.text(slugNode, what+": slug", maxSlug, true)
		if e.Slug != "" && !slugPattern.MatchString(e.Slug) {
			d.Errorf(yamlfile.PosOf(slugNode), "%s: slug %q may hold only lowercase letters, digits and single hyphens between them", what, e.Slug)
			e.Slug = ""
		}
	} else if e.RoutineRef != "" && e.Level != "" {
		e.Slug = slugify(routineName(e.RoutineRef)) + "-" + slugify(string(e.levelName()))
	}
	if v := f["title"]; v != nil {
		e.Title = d.text(v, what+": title", maxTitle, true)
	}
	if v := f["description"]; v != nil {
		e.Description = d.text(v, what+": description", maxDescription, true)
	}
	return e, slugNode
}

// routine resolves an episode's routine as the CLI does (routines.ResolveRef),
// from the pack file's folder. A routine file is read once however many
// episodes name it, and the files read are bounded together.
func (d *decoder) routine(at yamlfile.Pos, what string, e *Episode) {
	name := e.RoutineRef
	ref, err := routines.ResolveRef(name, d.dir)
	if err != nil {
		msg, hint := err.Error(), ""
		var ue *routines.UnknownError
		if errors.As(err, &ue) && ue.Nearest != "" {
			hint = fmt.Sprintf(": did you mean %s?", ue.Nearest)
			msg = strings.TrimSuffix(msg, hint)
		}
		d.Errorf(at, "%s: routine %s beside the pack file%s", what, msg, hint)
		return
	}
	if ref.Path == "" {
		// A built-in routine is embedded and tested: it reads and validates.
		src, _ := ref.Source(d.ctx)
		r, _ := ref.Parse(src)
		e.Routine, e.routineSrc = r, src
		return
	}
	e.RoutinePath = ref.Path
	lr, ok := d.loaded[ref.Path]
	if !ok {
		lr = d.routineFile(at, what, ref)
		d.loaded[ref.Path] = lr
	}
	if lr != nil {
		e.Routine, e.routineSrc = lr.r, lr.src
	}
}

// routineFile reads and validates a routine file, or records why it cannot
// and returns nil.
func (d *decoder) routineFile(at yamlfile.Pos, what string, ref routines.Ref) *loadedRoutine {
	if d.routineBytes > maxRoutineBytes {
		d.Errorf(at, "%s: routine: the pack's routine files hold more than %d bytes in all", what, maxRoutineBytes)
		return nil
	}
	src, err := ref.Source(d.ctx)
	d.routineBytes += len(src)
	var fe *Error
	if errors.As(err, &fe) {
		d.Errorf(at, "%s: routine: %s: %s", what, ref.Name, fe.Msg)
		return nil
	} else if err != nil {
		hint := ""
		if near := ref.Nearest(); errors.Is(err, os.ErrNotExist) && near != "" {
			hint = fmt.Sprintf("; did you mean %s?", near)
		}
		d.Errorf(at, "%s: routine: %v%s", what, shortPathErr(err), hint)
		return nil
	}
	r, err := ref.Parse(src)
	if err != nil {
		d.Errorf(at, "%s: routine %s is not valid (its problems follow)", what, ref.Name)
		var es routines.Errors
		errors.As(err, &es) // Parse reports every problem as Errors
		d.routineErrs = append(d.routineErrs, es...)
		return nil
	}
	return &loadedRoutine{r: r, src: src}
}

// routineName is a routine's short name: a built-in name, or a file's name
// without its folder and extension.
func routineName(ref string) string {
	base := filepath.Base(filepath.FromSlash(ref))
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// slugify keeps lowercase ASCII letters and digits, with single hyphens for
// anything else between them.
func slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	out := b.String()
	if out == "" {
		out = "episode"
	}
	if len(out) > maxSlug-10 {
		out = strings.TrimRight(out[:maxSlug-10], "-")
	}
	return out
}

var dateLayouts = []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", time.RFC3339}

// date reads a publication date: a day (midnight UTC), a day and time (UTC),
// or an RFC 3339 time with its zone.
func (d *decoder) date(n ast.Node, what string) time.Time {
	s := d.text(n, what, 40, true)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1970 {
				d.Errorf(yamlfile.PosOf(n), "%s: %s is before 1970", what, s)
				return time.Time{}
			}
			return t
		}
	}
	d.Errorf(yamlfile.PosOf(n), "%s: %q is not a date like 2026-01-05, 2026-01-05 07:30 or 2026-01-05T07:30:00+01:00", what, s)
	return time.Time{}
}

// cachedVoice is the folder of the cached voice called name, or an error
// listing the folders and cached voices there are to name.
func cachedVoice(name string) (string, error) {
	cached, err := narration.CachedVoices()
	if err != nil {
		return "", err
	}
	var names []string
	for _, c := range cached {
		if c.Name == name {
			return c.Dir, nil
		}
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("%s is neither a folder beside the pack nor a cached voice", name)
	if len(names) == 0 {
		return "", errors.New(msg + " (no voice is cached yet: 'routinecast voice render ROUTINE --engine E' makes one)")
	}
	if near := typo.Nearest(name, names); near != "" {
		return "", fmt.Errorf("%s: did you mean %s?", msg, near)
	}
	return "", fmt.Errorf("%s (cached: %s)", msg, strings.Join(names, ", "))
}

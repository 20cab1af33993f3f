package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image/png"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"routinecast/audio/id3"
	"routinecast/export"
	"routinecast/internal/testtool"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/pack/packtest"
)

// fixture writes the tiny test pack (two short episodes) into a fresh folder
// and returns the pack file's path.
func fixture(t testing.TB) string {
	t.Helper()
	return packtest.Write(t, t.TempDir())
}

func loadPack(t testing.TB, file string) *Pack {
	t.Helper()
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// events records a build's progress reports.
type events struct {
	mu   sync.Mutex
	list []Progress
}

func (ev *events) add(p Progress) {
	ev.mu.Lock()
	ev.list = append(ev.list, p)
	ev.mu.Unlock()
}

func (ev *events) count(k ProgressKind) int {
	n := 0
	for _, p := range ev.list {
		if p.Kind == k {
			n++
		}
	}
	return n
}

func build(t testing.TB, p *Pack, dir string, o BuildOptions) (*Report, *events) {
	t.Helper()
	ev := &events{}
	o.Progress = ev.add
	if o.Version == "" {
		o.Version = "test"
	}
	rep, err := Build(context.Background(), p, dir, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep, ev
}

// builtOnce is the tiny pack built once, shared by the tests that only read it.
var builtOnce struct {
	sync.Once
	pack *Pack
	dir  string
	rep  *Report
	err  error
}

func sharedBuild(t *testing.T) (*Pack, string, *Report) {
	t.Helper()
	builtOnce.Do(func() {
		tmp, err := os.MkdirTemp("", "pack-test-")
		if err != nil {
			builtOnce.err = err
			return
		}
		p, err := Load(packtest.Write(t, tmp))
		if err != nil {
			builtOnce.err = err
			return
		}
		builtOnce.pack, builtOnce.dir = p, filepath.Join(tmp, "public")
		builtOnce.rep, builtOnce.err = Build(context.Background(), p, builtOnce.dir, BuildOptions{Version: "test"})
	})
	if builtOnce.err != nil {
		t.Fatal(builtOnce.err)
	}
	return builtOnce.pack, builtOnce.dir, builtOnce.rep
}

// copyOfSharedBuild writes a fresh copy of the test pack and a copy of the
// shared build beside it, for tests that change them. Nothing in a build
// depends on where the pack lives, so the copy is up to date.
func copyOfSharedBuild(t *testing.T) (file, dir string) {
	t.Helper()
	_, shared, _ := sharedBuild(t)
	file = fixture(t)
	dir = filepath.Join(filepath.Dir(file), "public")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range snapshot(t, shared) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return file, dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtOnce.dir != "" {
		os.RemoveAll(filepath.Dir(builtOnce.dir))
	}
	os.Exit(code)
}

// snapshot maps every file under dir to its content.
func snapshot(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameSnapshot(t testing.TB, got, want map[string][]byte) {
	t.Helper()
	for name, b := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s is gone", name)
		case !bytes.Equal(g, b):
			t.Errorf("%s changed (%d bytes, was %d)", name, len(g), len(b))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s appeared", name)
		}
	}
}

// noLeftovers checks that no temporary build folder is left beside dir.
func noLeftovers(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+filepath.Base(dir)+".") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// Every episode has its follow-along page, linked from the pack's page: it
// plays the episode's audio, links its handout and the pack's page, and
// holds the episode's cues, which the timeline's chapters match.
func TestBuildFollowAlongPages(t *testing.T) {
	_, dir, rep := sharedBuild(t)
	snap := snapshot(t, dir)
	index := string(snap["index.html"])
	for _, e := range rep.Episodes {
		follow := e.Slug + ".follow.html"
		if !strings.Contains(index, `href="`+follow+`"`) {
			t.Errorf("index.html does not link %s", follow)
		}
		html := string(snap[follow])
		for _, s := range []string{`src="` + e.Slug + `.mp3"`, `href="` + e.Slug + `.pdf"`, `href="index.html#` + e.Slug + `"`} {
			if !strings.Contains(html, s) {
				t.Errorf("%s lacks %s", follow, s)
			}
		}
		var f mixer.Follow
		if err := json.Unmarshal(snap[e.Slug+".cues.json"], &f); err != nil {
			t.Fatal(err)
		}
		if len(f.Spans) == 0 || math.Abs(f.Seconds-e.Duration.Seconds()) > 0.001 {
			t.Errorf("%s.cues.json: %d spans, %.3f s; the episode lasts %v", e.Slug, len(f.Spans), f.Seconds, e.Duration)
		}
		data, _ := json.Marshal(f)
		if !strings.Contains(html, string(data)) {
			t.Errorf("%s does not hold the episode's cues", follow)
		}
	}
}

func TestBuildWritesEveryFile(t *testing.T) {
	p, dir, rep := sharedBuild(t)
	if rep.Rendered != 2 || rep.Reused != 0 || len(rep.Episodes) != 2 {
		t.Errorf("report %+v", rep)
	}
	want := []string{"feed.xml", "index.html", "cover.png", manifestName,
		"tiny-gentle.mp3", "tiny-gentle.chapters.json", "tiny-gentle.vtt",
		"tiny-full.mp3", "tiny-full.chapters.json", "tiny-full.vtt",
		"tiny-gentle.pdf", "tiny-full.pdf",
		"tiny-gentle.cues.json", "tiny-full.cues.json", "tiny-gentle.follow.html", "tiny-full.follow.html", "sw.js"}
	snap := snapshot(t, dir)
	for _, name := range want {
		if len(snap[name]) == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
	if len(snap) != len(want) {
		t.Errorf("%d files, want %d", len(snap), len(want))
	}
	for _, e := range rep.Episodes {
		st, err := os.Stat(filepath.Join(dir, e.File))
		if err != nil || st.Size() != e.Bytes || e.Duration <= 0 {
			t.Errorf("episode %s: report says %d bytes, %v; file: %v", e.Slug, e.Bytes, e.Duration, err)
		}
	}
	for _, name := range []string{"tiny-gentle.vtt", "tiny-full.vtt"} {
		if !bytes.HasPrefix(snap[name], []byte("WEBVTT\n")) || !bytes.Contains(snap[name], []byte("Let's begin.")) {
			t.Errorf("%s is not a transcript of the routine:\n%s", name, snap[name])
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o755 {
		t.Errorf("folder mode %v, want 0755", st.Mode().Perm())
	}
	noLeftovers(t, dir)
	_ = p
}

// fileOf maps a published URL of the pack back to the built file.
func fileOf(t *testing.T, p *Pack, dir, u string) string {
	t.Helper()
	if !strings.HasPrefix(u, p.BaseURL) {
		t.Fatalf("URL %q is not under the base URL %q", u, p.BaseURL)
	}
	return filepath.Join(dir, strings.TrimPrefix(u, p.BaseURL))
}

func TestFeedParsesWithGofeed(t *testing.T) {
	p, dir, rep := sharedBuild(t)
	src, err := os.ReadFile(filepath.Join(dir, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(src))
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	if f.FeedType != "rss" || f.FeedVersion != "2.0" {
		t.Errorf("feed type %s %s", f.FeedType, f.FeedVersion)
	}
	if f.Title != p.Title || f.Description != p.Description || f.Language != "en" || f.Link != p.BaseURL {
		t.Errorf("channel: title %q description %q language %q link %q", f.Title, f.Description, f.Language, f.Link)
	}
	it := f.ITunesExt
	if it == nil {
		t.Fatal("no iTunes tags")
	}
	if it.Author != "Routinecast Tests" || it.Image != p.BaseURL+"cover.png" || it.Explicit != "false" || it.Type != "episodic" {
		t.Errorf("itunes: author %q image %q explicit %q type %q", it.Author, it.Image, it.Explicit, it.Type)
	}
	if it.Owner == nil || it.Owner.Email != "tests@example.org" || it.Owner.Name != "Routinecast Tests" {
		t.Errorf("itunes:owner %+v", it.Owner)
	}
	if len(it.Categories) != 2 || it.Categories[0].Text != "Health & Fitness" || it.Categories[0].Subcategory == nil ||
		it.Categories[0].Subcategory.Text != "Fitness" || it.Categories[1].Text != "Education" {
		t.Errorf("itunes:category %+v", it.Categories)
	}
	if f.Image == nil || f.Image.URL != p.BaseURL+"cover.png" {
		t.Errorf("image %+v", f.Image)
	}
	if cover, err := os.ReadFile(fileOf(t, p, dir, it.Image)); err != nil || !bytes.HasPrefix(cover, []byte("\x89PNG")) {
		t.Errorf("cover file behind itunes:image: %v", err)
	}
	if g := f.Extensions["podcast"]["guid"]; len(g) != 1 || g[0].Value != podcastGUID(p.BaseURL+"feed.xml") {
		t.Errorf("podcast:guid %+v", g)
	}
	if l := f.Extensions["podcast"]["locked"]; len(l) != 1 || l[0].Value != "yes" || l[0].Attrs["owner"] != "tests@example.org" {
		t.Errorf("podcast:locked %+v", l)
	}

	if len(f.Items) != 2 {
		t.Fatalf("%d items", len(f.Items))
	}
	// Newest first: episode 2 (2026-01-12 07:30) before episode 1 (2026-01-05).
	byNumber := map[string]EpisodeReport{}
	for _, e := range rep.Episodes {
		byNumber[e.Slug] = e
	}
	for i, item := range f.Items {
		e := p.Episodes[1-i]
		if item.Title != e.Title || item.Description != e.Description {
			t.Errorf("item %d: title %q description %q, want %q %q", i, item.Title, item.Description, e.Title, e.Description)
		}
		if item.GUID != p.BaseURL+e.Slug {
			t.Errorf("item %d: guid %q", i, item.GUID)
		}
		if item.PublishedParsed == nil || !item.PublishedParsed.Equal(e.Published) {
			t.Errorf("item %d: pubDate %q parsed as %v, want %v", i, item.Published, item.PublishedParsed, e.Published)
		}
		if _, err := time.Parse(time.RFC1123Z, item.Published); err != nil {
			t.Errorf("item %d: pubDate %q is not RFC 2822: %v", i, item.Published, err)
		}
		if len(item.Enclosures) != 1 {
			t.Fatalf("item %d: %d enclosures", i, len(item.Enclosures))
		}
		enc := item.Enclosures[0]
		if enc.Type != "audio/mpeg" || enc.URL != p.BaseURL+e.Slug+".mp3" {
			t.Errorf("item %d: enclosure %+v", i, enc)
		}
		st, err := os.Stat(fileOf(t, p, dir, enc.URL))
		if err != nil {
			t.Fatal(err)
		}
		if enc.Length != fmtInt(st.Size()) {
			t.Errorf("item %d: enclosure length %s, file has %d bytes", i, enc.Length, st.Size())
		}
		ie := item.ITunesExt
		if ie == nil {
			t.Fatalf("item %d: no iTunes tags", i)
		}
		wantDur := fmtInt(int64(math.Round(byNumber[e.Slug].Duration.Seconds())))
		if ie.Duration != wantDur || ie.Episode != fmtInt(int64(e.Number)) || ie.Explicit != "false" || ie.EpisodeType != "full" {
			t.Errorf("item %d: itunes duration %q (want %s) episode %q explicit %q type %q", i, ie.Duration, wantDur, ie.Episode, ie.Explicit, ie.EpisodeType)
		}
		for _, tc := range []struct{ tag, typ, file string }{
			{"chapters", "application/json+chapters", e.Slug + ".chapters.json"},
			{"transcript", "text/vtt", e.Slug + ".vtt"},
		} {
			exts := item.Extensions["podcast"][tc.tag]
			if len(exts) != 1 {
				t.Errorf("item %d: %d podcast:%s", i, len(exts), tc.tag)
				continue
			}
			x := exts[0]
			if x.Attrs["type"] != tc.typ || x.Attrs["url"] != p.BaseURL+tc.file {
				t.Errorf("item %d: podcast:%s %v", i, tc.tag, x.Attrs)
			}
			if _, err := os.Stat(fileOf(t, p, dir, x.Attrs["url"])); err != nil {
				t.Errorf("item %d: podcast:%s points at a missing file: %v", i, tc.tag, err)
			}
		}
	}
	if !bytes.Contains(src, []byte(`<guid isPermaLink="false">`)) {
		t.Error(`guids are not marked isPermaLink="false"`)
	}
	if !bytes.Contains(src, []byte(`& a &#34;quoted&#34; word`)) && !bytes.Contains(src, []byte(`&amp; a &#34;quoted&#34; word`)) {
		t.Errorf("the description's & and quotes are not escaped:\n%s", src)
	}
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// The feed must carry, by name, every tag Apple requires and the two
// Podcasting 2.0 tags, whatever a parser makes of them.
func TestFeedHasRequiredTags(t *testing.T) {
	_, dir, _ := sharedBuild(t)
	src, err := os.ReadFile(filepath.Join(dir, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	for _, tag := range []string{
		`xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"`,
		`xmlns:podcast="https://podcastindex.org/namespace/1.0"`,
		"<title>", "<description>", "<language>en</language>", "<link>",
		`<itunes:image href=`, `<itunes:category text="Health &amp; Fitness">`, `<itunes:category text="Fitness">`,
		"<itunes:explicit>false</itunes:explicit>", "<itunes:author>Routinecast Tests</itunes:author>",
		"<itunes:duration>", `<enclosure url="https://example.org/tiny/tiny-full.mp3" length="`, `type="audio/mpeg"`,
		`<podcast:chapters url="https://example.org/tiny/tiny-full.chapters.json" type="application/json+chapters">`,
		`<podcast:transcript url="https://example.org/tiny/tiny-full.vtt" type="text/vtt" language="en">`,
		"<pubDate>Mon, 12 Jan 2026 07:30:00 +0000</pubDate>",
		"<itunes:owner>", "<itunes:name>Routinecast Tests</itunes:name>", "<itunes:email>tests@example.org</itunes:email>",
		`<podcast:locked owner="tests@example.org">yes</podcast:locked>`,
	} {
		if !strings.Contains(s, tag) {
			t.Errorf("feed.xml lacks %s", tag)
		}
	}
	if n := strings.Count(s, "<itunes:duration>"); n != 2 {
		t.Errorf("%d itunes:duration, want one per episode", n)
	}
}

// chaptersJSON is the Podcasting 2.0 chapters format.
type chaptersJSON struct {
	Version  string `json:"version"`
	Title    string `json:"title"`
	Chapters []struct {
		StartTime float64 `json:"startTime"`
		Title     string  `json:"title"`
	} `json:"chapters"`
}

func TestChaptersJSONMatchesID3(t *testing.T) {
	p, dir, _ := sharedBuild(t)
	for _, e := range p.Episodes {
		var cj chaptersJSON
		b, err := os.ReadFile(filepath.Join(dir, e.chaptersName()))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &cj); err != nil {
			t.Fatalf("%s: %v", e.chaptersName(), err)
		}
		f, err := os.Open(filepath.Join(dir, e.mp3Name()))
		if err != nil {
			t.Fatal(err)
		}
		tag, err := id3.Read(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.mp3Name(), err)
		}
		if cj.Version != "1.2.0" || len(cj.Chapters) == 0 || cj.Title != e.Title {
			t.Errorf("%s: version %q, title %q (want the episode's, %q), %d chapters", e.chaptersName(), cj.Version, cj.Title, e.Title, len(cj.Chapters))
		}
		if len(tag.Chapters) != len(cj.Chapters) {
			t.Fatalf("%s: %d ID3 chapters, %d in the JSON", e.Slug, len(tag.Chapters), len(cj.Chapters))
		}
		for i, c := range tag.Chapters {
			j := cj.Chapters[i]
			if c.Title != j.Title || c.Start.Milliseconds() != int64(math.Round(j.StartTime*1000)) {
				t.Errorf("%s chapter %d: ID3 %q at %v, JSON %q at %.3fs", e.Slug, i, c.Title, c.Start, j.Title, j.StartTime)
			}
		}
		cover, err := os.ReadFile(filepath.Join(dir, "cover.png"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(tag.Cover, cover) {
			t.Errorf("%s: the MP3's cover is not the feed's", e.Slug)
		}
		if tag.Title != e.Title || tag.Artist != p.Author || tag.Album != p.Title || tag.Track != e.Number || len(tag.Cover) == 0 {
			t.Errorf("%s: tags title %q artist %q album %q track %d cover %d bytes", e.Slug, tag.Title, tag.Artist, tag.Album, tag.Track, len(tag.Cover))
		}
	}
}

func TestRebuildRendersNothing(t *testing.T) {
	file, dir := copyOfSharedBuild(t)
	before := snapshot(t, dir)

	rep, ev := build(t, loadPack(t, file), dir, BuildOptions{})
	if rep.Rendered != 0 || rep.Reused != 2 || ev.count(Started) != 0 || ev.count(Reused) != 2 {
		t.Errorf("rebuild: report %+v, %d started, %d reused", rep, ev.count(Started), ev.count(Reused))
	}
	sameSnapshot(t, snapshot(t, dir), before)
	noLeftovers(t, dir)

	// One input of one episode changes: only that one renders again.
	src, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(src, []byte("title: Tiny, gentle"), []byte("title: Tiny and gentle"), 1), 0o644)
	rep, ev = build(t, loadPack(t, file), dir, BuildOptions{})
	if rep.Rendered != 1 || rep.Reused != 1 || !rep.Episodes[0].Rendered || rep.Episodes[1].Rendered || ev.count(Started) != 1 || ev.count(Rendered) != 1 {
		t.Errorf("after a title change: %+v, %d started", rep, ev.count(Started))
	}
	after := snapshot(t, dir)
	if !bytes.Equal(after["tiny-full.mp3"], before["tiny-full.mp3"]) || bytes.Equal(after["tiny-gentle.mp3"], before["tiny-gentle.mp3"]) {
		t.Error("the unchanged episode's MP3 should be kept and the changed one's rewritten")
	}

	// The routine both use changes: both render again.
	routine := filepath.Join(filepath.Dir(file), "tiny.yaml")
	rs, _ := os.ReadFile(routine)
	os.WriteFile(routine, bytes.Replace(rs, []byte("hold: 2-3s"), []byte("hold: 2-4s"), 1), 0o644)
	if rep, _ = build(t, loadPack(t, file), dir, BuildOptions{}); rep.Rendered != 2 {
		t.Errorf("after a routine change: rendered %d, want 2", rep.Rendered)
	}
	// A new program version renders everything; --force too.
	if rep, _ = build(t, loadPack(t, file), dir, BuildOptions{Version: "test-2"}); rep.Rendered != 2 {
		t.Errorf("after a version change: rendered %d, want 2", rep.Rendered)
	}
	if rep, _ = build(t, loadPack(t, file), dir, BuildOptions{Version: "test-2", Force: true}); rep.Rendered != 2 {
		t.Errorf("with Force: rendered %d, want 2", rep.Rendered)
	}
	// A file of the build that was tampered with is not carried over.
	os.WriteFile(filepath.Join(dir, "tiny-full.vtt"), []byte("WEBVTT\n"), 0o644)
	if rep, _ = build(t, loadPack(t, file), dir, BuildOptions{Version: "test-2"}); rep.Rendered != 1 || rep.Episodes[0].Rendered {
		t.Errorf("after tampering with one episode's transcript: %+v", rep)
	}
}

func TestRenamedSlugKeepsFiles(t *testing.T) {
	file, dir := copyOfSharedBuild(t)
	before := snapshot(t, dir)
	src, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(src, []byte("level: full\n"), []byte("level: full\n    slug: week-2\n"), 1), 0o644)
	rep, _ := build(t, loadPack(t, file), dir, BuildOptions{})
	if rep.Rendered != 0 {
		t.Errorf("renaming a slug rendered %d episodes", rep.Rendered)
	}
	after := snapshot(t, dir)
	if !bytes.Equal(after["week-2.mp3"], before["tiny-full.mp3"]) || after["tiny-full.mp3"] != nil {
		t.Error("the episode's files should be renamed, not rendered again")
	}
}

func TestFailedEpisodeLeavesDirUntouched(t *testing.T) {
	file, dir := copyOfSharedBuild(t)
	before := snapshot(t, dir)
	// The second episode changes, so it renders again, and fails: its music
	// bed is not audio.
	packDir := filepath.Dir(file)
	os.WriteFile(filepath.Join(packDir, "bed.mp3"), []byte("this is not an MP3 file at all"), 0o644)
	src, _ := os.ReadFile(file)
	os.WriteFile(file, bytes.Replace(src, []byte("level: full\n"), []byte("level: full\n    music: bed.mp3\n"), 1), 0o644)
	p := loadPack(t, file)
	_, err := Build(context.Background(), p, dir, BuildOptions{Version: "test"})
	if err == nil {
		t.Fatal("a build with an undecodable music bed succeeded")
	}
	if !strings.Contains(err.Error(), "episode 2 (tiny-full)") {
		t.Errorf("the error does not name the episode: %v", err)
	}
	sameSnapshot(t, snapshot(t, dir), before)
	noLeftovers(t, dir)
}

func TestFailureAndCancellationLeaveDirUntouched(t *testing.T) {
	file, dir := copyOfSharedBuild(t)
	before := snapshot(t, dir)

	saved := render
	defer func() { render = saved }()
	boom := errors.New("boom")
	render = func(ctx context.Context, path string, jo job.Options, o export.Options) (*export.Result, error) {
		if o.Tags.Track == 2 {
			return nil, boom
		}
		return saved(ctx, path, jo, o)
	}
	_, err := Build(context.Background(), loadPack(t, file), dir, BuildOptions{Version: "other", Jobs: 1})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want boom", err)
	}
	sameSnapshot(t, snapshot(t, dir), before)
	noLeftovers(t, dir)

	ctx, cancel := context.WithCancel(context.Background())
	render = func(ctx context.Context, path string, jo job.Options, o export.Options) (*export.Result, error) {
		cancel() // Ctrl-C while the first episode renders
		return saved(ctx, path, jo, o)
	}
	_, err = Build(ctx, loadPack(t, file), dir, BuildOptions{Version: "other"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	sameSnapshot(t, snapshot(t, dir), before)
	noLeftovers(t, dir)
}

func TestBuildRefusesForeignFolder(t *testing.T) {
	file := fixture(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("years of work"), 0o644)
	_, err := Build(context.Background(), loadPack(t, file), dir, BuildOptions{})
	if err == nil || !strings.Contains(err.Error(), "refusing to replace it") {
		t.Fatalf("error %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "thesis.tex")); string(b) != "years of work" {
		t.Error("the folder's file was touched")
	}
	noLeftovers(t, dir)

	// An empty folder and a missing one are fine: there is nothing to lose.
	for _, d := range []string{t.TempDir(), filepath.Join(t.TempDir(), "new")} {
		if m, err := previousBuild(d); m != nil || err != nil {
			t.Errorf("%s: %v, %v", d, m, err)
		}
	}
}

func TestReplaceDir(t *testing.T) {
	for name, replace := range map[string]func(tmp, dir string) error{"replaceDir": replaceDir, "replaceByRenames": replaceByRenames} {
		t.Run(name, func(t *testing.T) {
			parent := t.TempDir()
			dir, tmp := filepath.Join(parent, "out"), filepath.Join(parent, ".out.building")
			os.MkdirAll(dir, 0o755)
			os.MkdirAll(tmp, 0o755)
			os.WriteFile(filepath.Join(dir, "old.txt"), []byte("old"), 0o644)
			os.WriteFile(filepath.Join(tmp, "new.txt"), []byte("new"), 0o644)
			if err := replace(tmp, dir); err != nil {
				t.Fatal(err)
			}
			sameSnapshot(t, snapshot(t, dir), map[string][]byte{"new.txt": []byte("new")})
			entries, _ := os.ReadDir(parent)
			if len(entries) != 1 {
				t.Errorf("left in the parent: %v", entries)
			}
		})
	}
}

func TestPodcastGUID(t *testing.T) {
	// The Podcasting 2.0 namespace's own example.
	if got := podcastGUID("https://podnews.net/rss"); got != "9b024349-ccf0-5f69-a609-6b82873eab3c" {
		t.Errorf("podcastGUID = %s", got)
	}
	if podcastGUID("http://podnews.net/rss/") != podcastGUID("podnews.net/rss") {
		t.Error("the scheme and trailing slashes must not matter")
	}
}

// pythonWithFeedparser finds a python3 that can import feedparser (Debian's
// python3-feedparser installs it for /usr/bin/python3, which may not be the
// first python3 on PATH).
func pythonWithFeedparser(t *testing.T) string {
	t.Helper()
	var candidates []string
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/python3")
	for _, py := range candidates {
		if _, _, err := testtool.Run(t, py, "-c", "import feedparser"); err == nil {
			return py
		}
	}
	const msg = "no python3 with feedparser (apt-get install python3-feedparser)"
	if testtool.Required() {
		t.Fatal(msg + ", and ROUTINECAST_REQUIRE_TOOLS=1 requires it")
	}
	t.Skip(msg + "; skipping")
	return ""
}

func TestFeedParsesWithPythonFeedparser(t *testing.T) {
	py := pythonWithFeedparser(t)
	p, dir, _ := sharedBuild(t)
	script := `
import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "author": d.feed.get("author"), "image": d.feed.get("image", {}).get("href"),
  "explicit": d.feed.get("itunes_explicit"),
  "owner": d.feed.get("publisher_detail", {}).get("email"),
  "tags": [t["term"] for t in d.feed.get("tags", [])],
  "items": [{"title": e.title, "id": e.id, "published": list(e.published_parsed[:6]),
             "duration": e.get("itunes_duration"),
             "enclosures": [{"href": x.href, "length": x.length, "type": x.type} for x in e.enclosures]}
            for e in d.entries],
}))
`
	out := testtool.Output(t, py, "-c", script, filepath.Join(dir, "feed.xml"))
	var got struct {
		Bozo     bool
		Error    string
		Version  string
		Title    string
		Author   string
		Image    string
		Explicit any
		Owner    string
		Tags     []string
		Items    []struct {
			Title      string
			ID         string
			Published  []int
			Duration   string
			Enclosures []struct{ Href, Length, Type string }
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Bozo {
		t.Errorf("feedparser found the feed malformed: %s", got.Error)
	}
	if got.Version != "rss20" || got.Title != p.Title || got.Author != p.Author || got.Image != p.BaseURL+"cover.png" {
		t.Errorf("feedparser: version %q title %q author %q image %q", got.Version, got.Title, got.Author, got.Image)
	}
	if got.Owner != p.Email {
		t.Errorf("feedparser: owner's e-mail %q, want %q", got.Owner, p.Email)
	}
	if strings.Join(got.Tags, ",") != "Health & Fitness,Fitness,Education" {
		t.Errorf("categories %v", got.Tags)
	}
	if len(got.Items) != 2 {
		t.Fatalf("%d items", len(got.Items))
	}
	for i, it := range got.Items {
		e := p.Episodes[1-i]
		if it.Title != e.Title || it.ID != p.BaseURL+e.Slug || len(it.Enclosures) != 1 {
			t.Errorf("item %d: %+v", i, it)
			continue
		}
		pub := e.Published.UTC()
		if want := []int{pub.Year(), int(pub.Month()), pub.Day(), pub.Hour(), pub.Minute(), pub.Second()}; !equalInts(it.Published, want) {
			t.Errorf("item %d published %v, want %v", i, it.Published, want)
		}
		enc := it.Enclosures[0]
		st, err := os.Stat(fileOf(t, p, dir, enc.Href))
		if err != nil {
			t.Fatal(err)
		}
		if enc.Length != fmtInt(st.Size()) || enc.Type != "audio/mpeg" {
			t.Errorf("item %d: enclosure %+v, file %d bytes", i, enc, st.Size())
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The test pack's cover is a palette PNG; the built folder and the MP3s get
// it as 8-bit RGB, which Apple asks for, the same picture.
func TestCoverIsRGB(t *testing.T) {
	_, dir, _ := sharedBuild(t)
	built, err := os.ReadFile(filepath.Join(dir, "cover.png"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join(filepath.Dir(fixture(t)), "cover.png"))
	if err != nil {
		t.Fatal(err)
	}
	// PNG colour type, in the IHDR chunk: 2 is RGB, 6 RGBA, 3 a palette.
	if len(built) < 26 || (built[25] != 2 && built[25] != 6) || built[24] != 8 {
		t.Fatalf("built cover has bit depth %d, colour type %d; want 8-bit RGB or RGBA", built[24], built[25])
	}
	if orig[25] != 3 {
		t.Fatalf("the fixture's cover is colour type %d, not the palette this test needs", orig[25])
	}
	a, err := png.Decode(bytes.NewReader(orig))
	if err != nil {
		t.Fatal(err)
	}
	b, err := png.Decode(bytes.NewReader(built))
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < a.Bounds().Dy(); y += 7 {
		for x := 0; x < a.Bounds().Dx(); x += 7 {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
				t.Fatalf("pixel (%d, %d) changed", x, y)
			}
		}
	}
	// An RGB image is kept byte for byte.
	if again, err := rgbCover(built); err != nil || !bytes.Equal(again, built) {
		t.Errorf("an RGB cover was re-encoded (%v)", err)
	}
}

package pack

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/pack/packtest"
	"routinecast/routines"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestLoadTinyPack(t *testing.T) {
	file := packtest.Write(t, t.TempDir())
	dir := filepath.Dir(file)
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Tiny test pack" || p.Author != "Routinecast Tests" || p.Language != "en" || p.Email != "tests@example.org" {
		t.Errorf("channel fields: %+v", p)
	}
	if p.BaseURL != "https://example.org/tiny/" || p.Link != p.BaseURL {
		t.Errorf("base URL %q, link %q: want the slash added, and the link to default to it", p.BaseURL, p.Link)
	}
	if p.Cover.Type != "image/png" || p.Cover.Width != 1400 || p.Cover.Height != 1400 || p.Cover.Path != filepath.Join(dir, "cover.png") {
		t.Errorf("cover %+v", p.Cover)
	}
	wantCats := []Category{{"Health & Fitness", "Fitness"}, {"Education", ""}}
	if len(p.Categories) != 2 || p.Categories[0] != wantCats[0] || p.Categories[1] != wantCats[1] {
		t.Errorf("categories %v, want %v", p.Categories, wantCats)
	}
	if len(p.Episodes) != 2 {
		t.Fatalf("%d episodes", len(p.Episodes))
	}
	e1, e2 := p.Episodes[0], p.Episodes[1]
	if e1.Slug != "tiny-gentle" || e1.Level != routines.Gentle || e1.Title != "Tiny, gentle" || e1.Description != "The gentle version." || e1.Number != 1 {
		t.Errorf("episode 1: %+v", e1)
	}
	if !e1.Published.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("episode 1 published %v", e1.Published)
	}
	// Defaults: the slug from the routine's file name and the level, the title
	// and description from the routine.
	if e2.Slug != "tiny-full" || e2.Title != "Tiny test routine (full)" || e2.Description != "Two short exercises, for tests." {
		t.Errorf("episode 2 defaults: slug %q title %q description %q", e2.Slug, e2.Title, e2.Description)
	}
	if !e2.Published.Equal(time.Date(2026, 1, 12, 7, 30, 0, 0, time.UTC)) {
		t.Errorf("episode 2 published %v", e2.Published)
	}
	if e1.Routine == nil || e1.Routine != e2.Routine || e1.RoutinePath != filepath.Join(dir, "tiny.yaml") || e1.Voice != filepath.Join(dir, "voice") {
		t.Errorf("the routine file should be loaded once and shared: %p %p %q", e1.Routine, e2.Routine, e1.RoutinePath)
	}
}

// The golden file lists every problem of a pack file with many, each at its
// line and column, followed by the problems of the routine files it names.
func TestLoadSeveralMistakesGolden(t *testing.T) {
	_, err := Load("testdata/several-mistakes-pack.yaml")
	if err == nil {
		t.Fatal("no error")
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %T is not Errors: %v", err, err)
	}
	got := err.Error() + "\n"
	testtool.Golden(t, "testdata/several-mistakes-pack.txt", []byte(got), *update)
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		if !strings.HasPrefix(line, "testdata/several-mistakes-pack.yaml:") && !strings.HasPrefix(line, "testdata/bad-routine.yaml:") {
			t.Errorf("line without a file's name: %s", line)
		}
	}
}

// writeImage writes a w x h image as PNG or JPEG. Images are encoded once
// per size and format, and copied after that.
func writeImage(t testing.TB, path string, w, h int, format string) {
	t.Helper()
	key := fmt.Sprintf("%dx%d.%s", w, h, format)
	data, ok := images.Load(key)
	if !ok {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := 0; y < h; y += 7 {
			img.Set(w/2, y, color.RGBA{200, 40, 40, 255})
		}
		var buf bytes.Buffer
		var err error
		switch format {
		case "png":
			err = png.Encode(&buf, img)
		case "jpeg":
			err = jpeg.Encode(&buf, img, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ = images.LoadOrStore(key, buf.Bytes())
	}
	if err := os.WriteFile(path, data.([]byte), 0o644); err != nil {
		t.Fatal(err)
	}
}

var images sync.Map // encoded test images by size and format

// validPack is a pack file that loads; the table cases change one thing in it.
const validPack = `title: T
author: A
description: D
cover: cover.png
base_url: https://example.org/p/
categories: [Health & Fitness]
email: owner@example.org
episodes:
  - routine: lower-back
    level: gentle
    published: 2026-01-05
`

// loadSource writes src as pack.yaml in a new folder, beside a cover that
// is right, lets setup (when not nil) change the folder, and loads the pack.
func loadSource(t *testing.T, src string, setup func(t *testing.T, dir string)) (dir, file string, p *Pack, err error) {
	t.Helper()
	dir = t.TempDir()
	writeImage(t, filepath.Join(dir, "cover.png"), 1400, 1400, "png")
	if setup != nil {
		setup(t, dir)
	}
	file = testtool.WriteFile(t, filepath.Join(dir, "pack.yaml"), src)
	p, err = Load(file)
	return dir, file, p, err
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		setup   func(t *testing.T, dir string)
		wantErr string // a substring of the only error, which must carry a position
	}{
		{"unknown top field", validPack + "colour: blue\n", nil, `:12:1: pack: unknown field "colour"`},
		{"missing title", strings.Replace(validPack, "title: T\n", "", 1), nil, `:1:1: missing required field "title"`},
		{"empty author", strings.Replace(validPack, "author: A", "author:", 1), nil, `:2:8: author: empty`},
		{"cover too small", validPack, func(t *testing.T, dir string) { writeImage(t, filepath.Join(dir, "cover.png"), 1000, 1000, "png") },
			`:4:8: cover: cover.png is 1000x1000 pixels; Apple Podcasts needs a square image of 1400 to 3000 pixels a side`},
		{"cover not square", validPack, func(t *testing.T, dir string) { writeImage(t, filepath.Join(dir, "cover.png"), 1400, 1500, "png") },
			`cover.png is 1400x1500 pixels`},
		{"cover too big", validPack, func(t *testing.T, dir string) { writeImage(t, filepath.Join(dir, "cover.png"), 3001, 3001, "png") },
			`cover.png is 3001x3001 pixels`},
		{"cover not an image", validPack, func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "cover.png"), []byte("GIF89a"), 0o644)
		}, `cover: cover.png is not a PNG or JPEG image`},
		{"cover missing", validPack, func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, "cover.png")) },
			`cover.png: no such file or directory`},
		{"base url not http", strings.Replace(validPack, "https://example.org/p/", "example.org/p", 1), nil, `:5:11: base_url: "example.org/p" is not an absolute http or https URL`},
		{"base url with query", strings.Replace(validPack, "https://example.org/p/", "https://example.org/p?x=1", 1), nil, `base_url: "https://example.org/p?x=1" has a query`},
		{"unknown category", strings.Replace(validPack, "[Health & Fitness]", "[Wellness]", 1), nil, `:6:14: categories: "Wellness" is not an Apple Podcasts category`},
		{"unknown subcategory", strings.Replace(validPack, "[Health & Fitness]", "[Health & Fitness/Yoga]", 1), nil, `"Yoga" is not a subcategory of "Health & Fitness" (Alternative Health, Fitness`},
		{"category without subcategories", strings.Replace(validPack, "[Health & Fitness]", "[History/Ancient]", 1), nil, `"History" has no subcategories`},
		{"no categories", strings.Replace(validPack, "[Health & Fitness]", "[]", 1), nil, `categories: give at least one`},
		{"repeated category", strings.Replace(validPack, "[Health & Fitness]", "[Health & Fitness, health & fitness]", 1), nil, `is listed twice`},
		{"explicit not a bool", validPack + "explicit: maybe\n", nil, `:12:11: explicit: expected true or false, found text`},
		{"bad language", validPack + "language: klingon\n", nil, `language: "klingon" is not a language tag`},
		{"a language by its name", validPack + "language: English\n", nil, `language: "English" is a language's name; give its tag: language: en`},
		{"bad email", strings.Replace(validPack, "owner@example.org", "nobody", 1), nil, `:7:8: email: "nobody" is not an e-mail address`},
		{"missing email", strings.Replace(validPack, "email: owner@example.org\n", "", 1), nil, `:1:1: missing required field "email": the owner's address, which Apple Podcasts requires (itunes:owner)`},
		{"locked not a bool", validPack + "locked: sometimes\n", nil, `:12:9: locked: expected true or false`},
		{"minutes and level", validPack + "    minutes: 28\n", nil, `:12:14: episode 1: give a level or minutes, not both`},
		{"minutes out of range", strings.Replace(validPack, "level: gentle", "minutes: 0.5", 1), nil, `:10:14: episode 1: minutes: 0.5 is outside 1 to 600`},
		{"bad bitrate", validPack + "audio: {bitrate: 1000}\n", nil, `audio.bitrate: 1000 is outside 8 to 320`},
		{"bad sample rate", validPack + "audio: {sample_rate: 44000}\n", nil, `audio.sample_rate: 44000 Hz is not an MP3 rate`},
		{"unknown audio field", validPack + "audio: {volume: 3}\n", nil, `audio: unknown field "volume"`},
		{"no episodes", strings.SplitAfter(validPack, "episodes:")[0] + " []\n", nil, `episodes: a pack needs at least one episode`},
		{"unknown builtin", strings.Replace(validPack, "routine: lower-back", "routine: upper-back", 1), nil, `:9:14: episode 1: routine "upper-back" is neither a built-in routine (lower-back, lower-back-es) nor a file`},
		{"missing routine file", strings.Replace(validPack, "routine: lower-back", "routine: mine.yaml", 1), nil, `episode 1: routine: ` + "DIR" + `/mine.yaml: no such file or directory`},
		{"missing routine field", strings.Replace(validPack, "routine: lower-back\n    ", "", 1), nil, `:9:5: episode 1: missing required field "routine"`},
		{"bad level", strings.Replace(validPack, "level: gentle", "level: easy", 1), nil, `:10:12: episode 1: level "easy" is not gentle, standard or full`},
		{"bad date", strings.Replace(validPack, "2026-01-05", "2026-02-30", 1), nil, `:11:16: episode 1: published: "2026-02-30" is not a date`},
		{"missing date", strings.Replace(validPack, "\n    published: 2026-01-05", "", 1), nil, `episode 1: missing required field "published"`},
		{"unknown episode field", validPack + "    speed: fast\n", nil, `:12:5: episode 1: unknown field "speed"`},
		{"bad slug", validPack + "    slug: Back Care\n", nil, `episode 1: slug "Back Care" may hold only`},
		{"same slug twice", validPack + "  - routine: lower-back\n    level: gentle\n    published: 2026-01-06\n", nil,
			`:12:5: episode 2: its files would be named "lower-back-gentle" like episode 1's`},
		{"music not audio", validPack + "    music: bed.ogg\n", nil, `:12:12: episode 1: music: bed.ogg is neither a built-in bed (ambient, calm), none, nor an .mp3, .wav or .flac file`},
		{"music not a bed", validPack + "    music: calmer\n", nil, `:12:12: episode 1: music: calmer is neither a built-in bed (ambient, calm), none, nor an .mp3, .wav or .flac file`},
		{"pack music not a bed", strings.Replace(validPack, "episodes:", "music: rain\nepisodes:", 1), nil, `:8:8: music: rain is neither a built-in bed (ambient, calm), none, nor an .mp3, .wav or .flac file`},
		{"music missing", validPack + "    music: bed.mp3\n", nil, `bed.mp3: no such file or directory`},
		{"voice not a folder", validPack + "    voice: cover.png\n", nil, `episode 1: voice: cover.png is not a folder`},
		{"anchor", validPack + "copyright: &c me\n", nil, `copyright: anchors and aliases are not supported`},
		{"two documents", validPack + "---\ntitle: again\n", nil, `a pack file holds one YAML document`},
		{"not a mapping", "- a\n- b\n", nil, `:1:1: not a pack file: it holds a list, not key: value lines`},
		{"not a pack file", "root: x\nsecret: y\n", nil, `:1:1: not a pack file: none of its 2 keys is a pack field`},
		{"binary pack file", "title: T\x00\x01", nil, `:1:9: not a pack file: a NUL byte here`},
		{"routine is /dev/zero", strings.Replace(validPack, "routine: lower-back", "routine: /dev/zero", 1), nil,
			`:9:14: episode 1: routine: /dev/zero: is a character device, not a routine file`},
		{"routine is a FIFO", strings.Replace(validPack, "routine: lower-back", "routine: pipe.yaml", 1), mkfifo("pipe.yaml"),
			`:9:14: episode 1: routine: pipe.yaml: is a FIFO (named pipe), not a routine file`},
		{"routine links to /dev/zero", strings.Replace(validPack, "routine: lower-back", "routine: zero.yaml", 1), symlink("/dev/zero", "zero.yaml"),
			`:9:14: episode 1: routine: zero.yaml: is a character device, not a routine file`},
		{"routine is a folder", strings.Replace(validPack, "routine: lower-back", "routine: ./sub", 1), func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "sub"), 0o755) },
			`:9:14: episode 1: routine: ./sub: is a folder, not a routine file`},
		{"cover is /dev/zero", strings.Replace(validPack, "cover: cover.png", "cover: /dev/zero", 1), nil, `:4:8: cover: /dev/zero is a character device, not an image`},
		{"cover is a FIFO", strings.Replace(validPack, "cover: cover.png", "cover: pipe.png", 1), mkfifo("pipe.png"), `:4:8: cover: pipe.png is a FIFO (named pipe), not an image`},
		{"cover is a folder", strings.Replace(validPack, "cover: cover.png", "cover: .", 1), nil, `:4:8: cover: . is a folder, not an image`},
		{"base url with a space", strings.Replace(validPack, "https://example.org/p/", "\"https://example.org/my pack/\"", 1), nil,
			`:5:11: base_url: "https://example.org/my pack/" holds " " at character 23, which a URL must escape`},
		{"base url with a quote", strings.Replace(validPack, "https://example.org/p/", "https://example.org/p\"x/", 1), nil, `holds "\"" at character 22, which a URL must escape`},
		{"base url with an angle bracket", strings.Replace(validPack, "https://example.org/p/", "https://example.org/<p>/", 1), nil, `holds "<" at character 21`},
		{"base url not ASCII", strings.Replace(validPack, "https://example.org/p/", "https://example.org/café/", 1), nil, `which a URL must escape`},
		{"base url with a password", strings.Replace(validPack, "https://example.org/p/", "https://me:pw@example.org/p/", 1), nil, `holds a user name or password`},
		{"link with a space", validPack + "link: \"https://example.org/a b\"\n", nil, `:12:7: link: "https://example.org/a b" holds " " at character 22`},
		{"escaped ESC in the title", strings.Replace(validPack, "title: T", "title: \"T\\e[2J\"", 1), nil, `:1:8: title: ESC (U+001B), which starts terminal escape sequences at character 2`},
		{"raw ESC in the author", strings.Replace(validPack, "author: A", "author: A\x1b[31m", 1), nil, `:2:10: ESC (U+001B), which starts terminal escape sequences may not appear in a pack file`},
		{"bidi in the description", strings.Replace(validPack, "description: D", "description: \"D\\u202e\"", 1), nil, `:3:14: description: bidirectional control U+202E`},
		{"NUL in an episode title", validPack + "    title: \"a\\0b\"\n", nil, `:12:12: episode 1: title: NUL (U+0000) at character 2`},
		{"C1 in a category", strings.Replace(validPack, "[Health & Fitness]", "[\"Health\\x85\"]", 1), nil, `:6:14: categories: C1 control character U+0085`},
		{"mistyped builtin", strings.Replace(validPack, "routine: lower-back", "routine: lowerback", 1), nil,
			`:9:14: episode 1: routine "lowerback" is neither a built-in routine (lower-back, lower-back-es) nor a file beside the pack file: did you mean lower-back?`},
		{"mistyped routine file", strings.Replace(validPack, "routine: lower-back", "routine: kne.yaml", 1), func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "knee.yaml"), []byte("title: K\nexercises:\n  - name: E\n    steps: [Go.]\n"), 0o644)
		}, `:9:14: episode 1: routine: DIR/kne.yaml: no such file or directory; did you mean knee.yaml?`},
		{"syntax error", "title: [a\n", nil, `yaml:`},
		{"empty file", "", nil, `empty file`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, file, _, err := loadSource(t, tc.src, tc.setup)
			if err == nil {
				t.Fatalf("no error; want %q", tc.wantErr)
			}
			var es Errors
			if !errors.As(err, &es) || len(es) != 1 {
				t.Fatalf("want exactly one problem, got:\n%v", err)
			}
			want := strings.ReplaceAll(tc.wantErr, "DIR", dir)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
			}
			if !strings.HasPrefix(err.Error(), file+":") {
				t.Errorf("error does not start with the file name: %v", err)
			}
		})
	}
}

// mkfifo and symlink make special files in a test's pack folder.
func mkfifo(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		testtool.Mkfifo(t, filepath.Join(dir, name))
	}
}

func symlink(target, name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadNonRoutineQuotesNothing names a file that is not a routine: the
// error says so, at the field, and quotes none of the file.
func TestLoadNonRoutineQuotesNothing(t *testing.T) {
	dir, file, _, err := loadSource(t, strings.Replace(validPack, "routine: lower-back", "routine: ./shadow", 1), func(t *testing.T, dir string) {
		os.WriteFile(filepath.Join(dir, "shadow"), []byte("root: $y$secrethash\nbin: \"*\"\n"), 0o600)
	})
	want := file + ":9:14: episode 1: routine ./shadow is not valid (its problems follow)\n" +
		filepath.Join(dir, "shadow") + ":1:1: not a routine file: none of its 2 keys is a routine field"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v\nwant %s...", err, want)
	}
	if strings.Contains(err.Error(), "secrethash") || strings.Contains(err.Error(), "bin") {
		t.Errorf("the error quotes the file: %v", err)
	}
}

func TestLoadValidVariants(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		setup func(t *testing.T, dir string)
		check func(t *testing.T, p *Pack)
	}{
		{"minutes instead of a level", strings.Replace(validPack, "level: gentle", "minutes: 27.5", 1), nil, func(t *testing.T, p *Pack) {
			e := p.Episodes[0]
			if e.Minutes != 27.5 || e.Slug != "lower-back-27-5-min" || e.Title != "Lower back stretches (27.5 min)" || e.length() != 27*time.Minute+30*time.Second {
				t.Errorf("episode %+v", e)
			}
			if !p.Locked || p.Email != "owner@example.org" {
				t.Errorf("locked %v, email %q", p.Locked, p.Email)
			}
		}},
		{"level in capitals, as the command line takes it", strings.Replace(validPack, "level: gentle", "level: Full", 1), nil, func(t *testing.T, p *Pack) {
			if e := p.Episodes[0]; e.Level != routines.Full || e.Slug != "lower-back-full" {
				t.Errorf("level %q, slug %q", e.Level, e.Slug)
			}
		}},
		{"unlocked", validPack + "locked: false\n", nil, func(t *testing.T, p *Pack) {
			if p.Locked {
				t.Error("locked: false is locked")
			}
		}},
		{"jpeg cover of 3000", validPack, func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "cover.png"))
			writeImage(t, filepath.Join(dir, "cover.png"), 3000, 3000, "jpeg") // the content decides, not the name
		}, func(t *testing.T, p *Pack) {
			if p.Cover.Type != "image/jpeg" || p.Cover.ext() != ".jpg" {
				t.Errorf("cover %+v", p.Cover)
			}
		}},
		{"single category as text, case-insensitive", strings.Replace(validPack, "[Health & Fitness]", "health & fitness / mental health", 1), nil, func(t *testing.T, p *Pack) {
			if len(p.Categories) != 1 || p.Categories[0] != (Category{"Health & Fitness", "Mental Health"}) {
				t.Errorf("categories %v", p.Categories)
			}
		}},
		{"rfc3339 date with zone", strings.Replace(validPack, "2026-01-05", "2026-01-05T07:30:00+01:00", 1), nil, func(t *testing.T, p *Pack) {
			if got := p.Episodes[0].Published.Format(rfc2822); got != "Mon, 05 Jan 2026 07:30:00 +0100" {
				t.Errorf("published %s", got)
			}
		}},
		{"explicit slug and audio", validPack + "    slug: week-1\naudio: {bitrate: 96, sample_rate: 48000, channels: 2, loudness: -19}\nexplicit: true\n", nil, func(t *testing.T, p *Pack) {
			if p.Episodes[0].Slug != "week-1" || !p.Explicit || p.Audio != (Audio{Bitrate: 96, SampleRate: 48000, Channels: 2, Loudness: -19}) {
				t.Errorf("slug %q explicit %v audio %+v", p.Episodes[0].Slug, p.Explicit, p.Audio)
			}
		}},
		{"voice folder and music file", validPack + "    voice: voices/me\n    music: bed.mp3\n", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "voices", "me"), 0o755)
			os.WriteFile(filepath.Join(dir, "bed.mp3"), []byte("x"), 0o644)
		}, func(t *testing.T, p *Pack) {
			e := p.Episodes[0]
			if filepath.Base(e.Voice) != "me" || filepath.Base(e.Music) != "bed.mp3" || !filepath.IsAbs(e.Voice) && !strings.Contains(e.Voice, "voices") {
				t.Errorf("voice %q music %q", e.Voice, e.Music)
			}
		}},
		{"built-in beds: the pack's for episodes naming none, an episode's own", strings.Replace(validPack, "episodes:", "music: calm\nepisodes:", 1) +
			"  - routine: lower-back\n    level: full\n    published: 2026-01-12\n    music: ambient\n" +
			"  - routine: lower-back\n    published: 2026-01-19\n    music: ./calm.wav\n", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "calm.wav"), []byte("x"), 0o644)
		}, func(t *testing.T, p *Pack) {
			if p.Music != "calm" || p.Episodes[0].Music != "calm" || p.Episodes[1].Music != "ambient" {
				t.Errorf("pack music %q, episodes' %q, %q", p.Music, p.Episodes[0].Music, p.Episodes[1].Music)
			}
			// A file named like a bed is a file when its path says so.
			if e := p.Episodes[2].Music; !filepath.IsAbs(e) && !strings.HasSuffix(e, "calm.wav") || filepath.Base(e) != "calm.wav" {
				t.Errorf("episode 3's music %q, want the file calm.wav", e)
			}
		}},
		{"an episode without the pack's music", strings.Replace(validPack, "episodes:", "music: calm\nepisodes:", 1) + "    music: none\n" +
			"  - routine: lower-back\n    published: 2026-01-12\n", nil, func(t *testing.T, p *Pack) {
			if p.Music != "calm" || p.Episodes[0].Music != "" || p.Episodes[1].Music != "calm" {
				t.Errorf("pack music %q, episodes' %q, %q; want calm, none, calm", p.Music, p.Episodes[0].Music, p.Episodes[1].Music)
			}
		}},
		{"block description keeps paragraphs", strings.Replace(validPack, "description: D", "description: |\n  One.\n\n  Two.", 1), nil, func(t *testing.T, p *Pack) {
			if p.Description != "One.\n\nTwo." {
				t.Errorf("description %q", p.Description)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, p, err := loadSource(t, tc.src, tc.setup)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"lower-back":         "lower-back",
		"Box Breathing!":     "box-breathing",
		"  --Morning  2--  ": "morning-2",
		"Ünïcode":            "n-code",
		"!!!":                "episode",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	testtool.AddSeeds(f, "packtest/testdata/tiny-pack.yaml", "testdata/several-mistakes-pack.yaml")
	f.Add([]byte(validPack))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse("packtest/testdata/fuzz.yaml", src) // paths resolve in packtest/testdata/
		if err == nil {
			if p.Title == "" || len(p.Episodes) == 0 || p.BaseURL == "" || len(p.Categories) == 0 {
				t.Fatalf("a valid pack lacks a required field: %+v", p)
			}
			for _, e := range p.Episodes {
				if e.RoutineRef == "" || e.Slug == "" || e.Published.IsZero() {
					t.Fatalf("a valid episode lacks a required field: %+v", e)
				}
			}
			return
		}
		var es Errors
		if !errors.As(err, &es) {
			t.Fatalf("error %T is not Errors: %v", err, err)
		}
	})
}

// The template loads once its cover exists, and says what the loader takes.
func TestTemplate(t *testing.T) {
	dir, file, p, err := loadSource(t, string(Template()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Episodes) != 2 || p.Episodes[0].Slug != "lower-back-gentle" || p.Episodes[1].Title != "Week 2: standard" {
		t.Errorf("template pack: %+v", p)
	}
	// Every commented-out field, uncommented, is a known field and valid.
	commented := regexp.MustCompile(`(?m)^(\s*)# (\s*[a-z_]+: )`)
	src := commented.ReplaceAll(Template(), []byte("$1$2"))
	os.MkdirAll(filepath.Join(dir, "my-voice"), 0o755)
	os.WriteFile(filepath.Join(dir, "bed.mp3"), []byte("x"), 0o644)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	p, err = Load(file)
	if err != nil {
		t.Fatalf("the template with every field uncommented:\n%v\n%s", err, src)
	}
	e := p.Episodes[0]
	if p.Email == "" || p.Copyright == "" || p.Link != "https://example.org/" || p.Audio.Loudness != -16 || e.Slug != "week-1" || e.Voice == "" || e.Music == "" {
		t.Errorf("uncommented fields not all read: email %q copyright %q link %q audio %+v; episode 1 slug %q voice %q music %q",
			p.Email, p.Copyright, p.Link, p.Audio, e.Slug, e.Voice, e.Music)
	}
}

// TestParseTouchesNoFile: Parse takes a pack whose cover, routine file,
// voice and music do not exist (in a folder that does not exist) as valid,
// with their paths resolved; Load of the same text reports each at the
// line and column that names it.
func TestParseTouchesNoFile(t *testing.T) {
	const src = `title: T
author: A
description: D
cover: art/cover.png
base_url: https://example.org/p/
categories: [Health & Fitness]
email: owner@example.org
episodes:
  - routine: my-routine.yaml
    level: gentle
    published: 2026-01-05
    voice: voices/mine
    music: bed.mp3
`
	absent := filepath.Join(t.TempDir(), "absent")
	p, err := Parse(filepath.Join(absent, "pack.yaml"), []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	e := p.Episodes[0]
	if p.Cover.Path != filepath.Join(absent, "art", "cover.png") || e.Voice != filepath.Join(absent, "voices", "mine") ||
		e.Music != filepath.Join(absent, "bed.mp3") || e.RoutineRef != "my-routine.yaml" || e.Routine != nil || e.Slug != "my-routine-gentle" {
		t.Errorf("Parse: cover %q, episode %+v", p.Cover.Path, e)
	}

	dir := t.TempDir()
	file := testtool.WriteFile(t, filepath.Join(dir, "pack.yaml"), src)
	_, err = Load(file)
	if err == nil {
		t.Fatal("Load of a pack naming files that do not exist: no error")
	}
	for _, want := range []string{file + ":4:8: cover: ", file + ":9:14: episode 1: routine: ", file + ":12:12: episode 1: voice: ", file + ":13:12: episode 1: music: "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Load error lacks %q:\n%v", want, err)
		}
	}
}

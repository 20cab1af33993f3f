package pack

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"routinecast/handout"
	"routinecast/internal/testtool/chromium"
	"routinecast/job"
	"routinecast/routines"
)

// examplePage writes the page of examples/back-care.yaml as Build writes it,
// from the episodes' compiled timelines (their real lengths, chapters and
// exercises), without encoding the hour and a half of audio: what is checked
// here is the page around the players.
func examplePage(t *testing.T) (*Pack, string) {
	t.Helper()
	p, err := Load(filepath.Join("..", "examples", "back-care.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var eps []built
	for _, e := range p.Episodes {
		j, err := job.Compile(job.Options{Routine: e.Routine, Level: e.Level, Length: e.length(), Voice: e.Voice})
		if err != nil {
			t.Fatal(err)
		}
		b := built{ep: e, Duration: j.Timeline.Duration()}
		for _, c := range j.Timeline.Chapters {
			b.Chapters = append(b.Chapters, Chapter{Title: c.Title, Start: j.Timeline.Time(c.Start)})
		}
		sum := handout.Summarize(e.Routine, e.Level)
		b.Summary, b.Routine = &sum, e.Routine
		eps = append(eps, b)
	}
	var page bytes.Buffer
	if err := writePage(&page, p, eps, "test"); err != nil {
		t.Fatal(err)
	}
	cover, err := os.ReadFile(p.Cover.Path)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"index.html": page.Bytes(), coverName(p): cover} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p, dir
}

// rect is an element's box in CSS pixels, from getBoundingClientRect.
type rect struct{ Top, Bottom, Left, Right float64 }

// pageLayout is what the layout checks read of the page.
type pageLayout struct {
	Width, Height int
	Overflow      bool
	Title         rect
	FirstPlayer   rect
	Apps          map[string]rect
	Hrefs         map[string]string
	QR            rect
	Main          rect
	Exercises     [][]string // per episode: each exercise's name and dose
	QRPath        string
}

const layoutJS = `(() => {
	const box = el => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
	const apps = {}, hrefs = {};
	document.querySelectorAll("nav.subscribe a").forEach(a => { apps[a.textContent] = box(a); hrefs[a.textContent] = a.href; });
	return {
		width: innerWidth, height: innerHeight,
		overflow: document.documentElement.scrollWidth > innerWidth,
		title: box(document.querySelector("h1")),
		firstPlayer: box(document.querySelector("article.episode audio")),
		apps, hrefs,
		qr: box(document.querySelector("svg.qr")),
		main: box(document.querySelector("main")),
		exercises: [...document.querySelectorAll("article.episode")].map(a =>
			[...a.querySelectorAll("ol.exercises > li")].map(li => li.querySelector(".name").textContent + " | " + li.querySelector(".dose").textContent)),
		qrPath: document.querySelector("svg.qr path").getAttribute("d"),
	};
})()`

// onScreen reports whether a box lies wholly within the first screen.
func (r rect) onScreen(w, h int) bool {
	return r.Top >= 0 && r.Left >= 0 && r.Bottom <= float64(h) && r.Right <= float64(w) && r.Bottom > r.Top
}

// The example pack's page at a phone's and a desktop's width: on the phone
// the title, the first episode's player and the subscribe buttons are all on
// the first screen; on the desktop the buttons and the feed's QR code stand
// beside the episodes. The QR code holds the feed's URL; every episode lists
// its exercises with their holds and repetitions; screenshots of both are
// kept.
func TestSubscribePageInChromium(t *testing.T) {
	p, dir := examplePage(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	b := chromium.Start(t)
	feed := srv.URL + "/feed.xml" // the page names the feed where it is read from
	for _, screen := range []struct {
		name          string
		width, height int
		mobile        bool
	}{
		{"phone", 390, 844, true},
		{"small-phone", 360, 640, true},
		{"desktop", 1280, 800, false},
	} {
		openPage(t, b, srv.URL+"/", screen.width, screen.height, screen.mobile)
		got := chromium.Eval[pageLayout](t, b, layoutJS)
		t.Logf("%s %dx%d: title %+v, first player %+v, Apple %+v, Overcast %+v, QR %+v",
			screen.name, got.Width, got.Height, got.Title, got.FirstPlayer, got.Apps["Apple Podcasts"], got.Apps["Overcast"], got.QR)
		if got.Overflow {
			t.Errorf("%s: the page is wider than the screen", screen.name)
		}
		first := []rect{got.Title, got.FirstPlayer, got.Apps["Apple Podcasts"], got.Apps["Overcast"]}
		if screen.name == "desktop" {
			first = append(first, got.QR)
			if got.Apps["Apple Podcasts"].Left < got.Main.Right {
				t.Errorf("desktop: the subscribe buttons are not beside the episodes")
			}
		}
		for i, r := range first {
			if !r.onScreen(got.Width, got.Height) {
				t.Errorf("%s: element %d of title, player, Apple Podcasts, Overcast (and QR) is off the first screen: %+v", screen.name, i, r)
			}
		}
		bare := strings.TrimPrefix(feed, "http://")
		for app, want := range map[string]string{
			"Apple Podcasts": "podcast://" + bare,
			"Overcast":       "overcast://x-callback-url/add?url=" + url.QueryEscape(feed),
			"Pocket Casts":   "pktc://subscribe/" + bare,
			"AntennaPod":     "https://antennapod.org/deeplink/subscribe/?url=" + url.QueryEscape(feed),
			"RSS feed":       feed,
		} {
			if got.Hrefs[app] != want {
				t.Errorf("%s: %s links to %q, want %q", screen.name, app, got.Hrefs[app], want)
			}
		}
		if len(got.Exercises) != len(p.Episodes) {
			t.Fatalf("%s: exercise lists for %d episodes, want %d", screen.name, len(got.Exercises), len(p.Episodes))
		}
		for i, list := range got.Exercises {
			e := p.Episodes[i]
			if len(list) != len(e.Routine.Exercises) {
				t.Errorf("episode %d lists %d exercises, want %d", i+1, len(list), len(e.Routine.Exercises))
				continue
			}
			for k, ex := range e.Routine.Exercises {
				reps := ex.Reps.At(e.Level)
				want := ex.Name + " | "
				if !strings.HasPrefix(list[k], want) || (reps > 1 && !strings.Contains(list[k], strconv.Itoa(reps)+" reps")) {
					t.Errorf("episode %d, exercise %d: %q, want %s with %d reps", i+1, k+1, list[k], ex.Name, reps)
				}
				for _, s := range ex.Steps {
					if s.Kind == routines.Hold && !strings.Contains(strings.ToLower(list[k]), "hold "+strconv.FormatFloat(s.Duration.At(e.Level).Seconds(), 'f', -1, 64)+" s") {
						t.Errorf("episode %d, exercise %d: %q lacks its hold", i+1, k+1, list[k])
					}
				}
			}
		}
		// The QR code is the published feed's, module for module.
		if want := qrModules(t, p.url("feed.xml")); splitRuns(got.QRPath) != want {
			t.Errorf("%s: the QR code's modules are not those of %s", screen.name, p.url("feed.xml"))
		}

		keepScreenshot(t, b, "pack-subscribe-"+screen.name+".png", screen.width, screen.height)
	}
}

// qrModules is the SVG path of a QR code of text, rebuilt from the QR
// library's modules in the page's own path syntax.
func qrModules(t *testing.T, text string) string {
	t.Helper()
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for y, row := range code.Bitmap() {
		for x := 0; x < len(row); x++ {
			if row[x] {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	return b.String()
}

var runRE = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-\d+z`)

// splitRuns rewrites a path of runs of modules as one square per module.
func splitRuns(path string) string {
	var b strings.Builder
	for _, m := range runRE.FindAllStringSubmatch(path, -1) {
		x, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[3])
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "M%d %sh1v1h-1z", x+i, m[2])
		}
	}
	return b.String()
}

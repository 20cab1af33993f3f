package pack

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool/chromium"
)

// The page, served as 'pack serve' serves it, opened in headless Chromium at
// a phone's size: it loads, fits the screen, uses nothing from elsewhere, its
// players load the episodes, and a chapter click seeks the player.
func TestPageInChromium(t *testing.T) {
	_, dir, rep := sharedBuild(t)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h) // listens on 127.0.0.1
	defer srv.Close()

	b := chromium.Start(t)
	const width, height = 412, 915 // a phone, in CSS pixels
	openPage(t, b, srv.URL+"/", width, height, true)

	page := chromium.Eval[struct {
		Title     string   `json:"title"`
		Episodes  int      `json:"episodes"`
		Overflow  bool     `json:"overflow"`
		Resources []string `json:"resources"`
		CoverOK   bool     `json:"coverOK"`
	}](t, b, `({
		title: document.querySelector("h1").textContent,
		episodes: document.querySelectorAll("article.episode").length,
		overflow: document.documentElement.scrollWidth > window.innerWidth,
		resources: performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith(location.origin)),
		coverOK: (() => { const i = document.querySelector("header img"); return i.complete && i.naturalWidth === 1400; })(),
	})`)
	if page.Title != "Tiny test pack" || page.Episodes != 2 {
		t.Errorf("page shows %q with %d episodes", page.Title, page.Episodes)
	}
	if page.Overflow {
		t.Error("the page is wider than a phone's screen")
	}
	if len(page.Resources) > 0 {
		t.Errorf("the page loaded resources from elsewhere: %v", page.Resources)
	}
	if !page.CoverOK {
		t.Error("the cover did not load")
	}

	// Every player loads its episode; a click on the last chapter of each
	// moves its current time there.
	for i, e := range rep.Episodes {
		js := fmt.Sprintf(`(async () => {
			const a = document.querySelectorAll("article.episode audio")[%d];
			const timeout = (ms, what) => new Promise((_, rej) => setTimeout(() => rej(new Error(what)), ms));
			if (a.readyState < 1) {
				await Promise.race([
					new Promise((res, rej) => {
						a.addEventListener("loadedmetadata", res, {once: true});
						a.addEventListener("error", () => rej(new Error("audio error " + (a.error && a.error.code))), {once: true});
					}),
					timeout(20000, "no metadata in 20 s"),
				]);
			}
			const before = a.currentTime;
			const buttons = a.closest("article").querySelectorAll("ol.chapters button");
			const b = buttons[buttons.length - 1];
			const seeked = new Promise(res => a.addEventListener("seeked", res, {once: true}));
			b.click();
			await Promise.race([seeked, timeout(20000, "no seek in 20 s")]);
			a.pause();
			return {duration: a.duration, before, after: a.currentTime, want: parseFloat(b.dataset.start), chapters: buttons.length};
		})()`, i)
		got := chromium.Run(t, b, "episode "+e.Slug, chromedp.Evaluate[struct {
			Duration float64 `json:"duration"`
			Before   float64 `json:"before"`
			After    float64 `json:"after"`
			Want     float64 `json:"want"`
			Chapters int     `json:"chapters"`
		}](js, chromedp.EvalAwaitPromise))
		t.Logf("episode %s: duration %.3f s (built %.3f s), chapter click %.3f -> %.3f s (chapter at %.3f s), %d chapters",
			e.Slug, got.Duration, e.Duration.Seconds(), got.Before, got.After, got.Want, got.Chapters)
		if math.Abs(got.Duration-e.Duration.Seconds()) > 0.1 {
			t.Errorf("episode %s: the player says %.3f s, the build %.3f s", e.Slug, got.Duration, e.Duration.Seconds())
		}
		if got.Want <= 0 || got.Before != 0 || math.Abs(got.After-got.Want) > 0.05 {
			t.Errorf("episode %s: a click on the chapter at %.3f s moved the player from %.3f to %.3f s", e.Slug, got.Want, got.Before, got.After)
		}
	}

	keepScreenshot(t, b, "pack-index.png", width, height)

	// The first episode's follow-along link opens its page, which plays the
	// episode and keeps it for offline use.
	// Wait for the new page (the index has no #audio): a script run before
	// the navigation would be lost with the old page.
	chromium.Do(t, b, "following the first episode", chromedp.Click("article.episode a.follow"), chromedp.WaitReady(chromedp.CSS("#audio")))
	follow := chromium.Eval[struct {
		Path     string  `json:"path"`
		Duration float64 `json:"duration"`
		Offline  string  `json:"offline"`
	}](t, b, `(async () => {
		for (let i = 0; i < 200 && !(window.followAlong && document.getElementById("audio").readyState >= 1 && /^(ready|failed)/.test(followAlong.offline)); i++)
			await new Promise(r => setTimeout(r, 100));
		return {path: location.pathname, duration: document.getElementById("audio").duration, offline: window.followAlong ? followAlong.offline : ""};
	})()`)
	e := rep.Episodes[0]
	if follow.Path != "/"+e.Slug+".follow.html" || math.Abs(follow.Duration-e.Duration.Seconds()) > 0.1 || follow.Offline != "ready" {
		t.Errorf("the follow-along page of %s: %+v (the episode lasts %v)", e.Slug, follow, e.Duration)
	}
}

// openPage opens url in the tab at a screen's size in CSS pixels, and waits
// until it has loaded.
func openPage(t *testing.T, b context.Context, url string, width, height int, mobile bool) {
	t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	chromium.Do(t, b, fmt.Sprintf("opening %s at %dx%d", url, width, height),
		chromedp.EmulateViewport(int64(width), int64(height), opts...), chromedp.Navigate(url))
}

// keepScreenshot takes a screenshot of the tab, which must be of the
// screen's size and not blank, and keeps it as name in screenshotDir.
func keepScreenshot(t *testing.T, b context.Context, name string, width, height int) {
	t.Helper()
	img := chromium.Run(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
	if cfg, err := png.DecodeConfig(bytes.NewReader(img)); err != nil || cfg.Width != width || cfg.Height != height {
		t.Errorf("screenshot %s: %dx%d (%v), want %dx%d", name, cfg.Width, cfg.Height, err, width, height)
	}
	if !varied(img) {
		t.Errorf("screenshot %s is blank", name)
	}
	out := filepath.Join(screenshotDir(t), name)
	if err := os.WriteFile(out, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}

// screenshotDir is where the page tests leave their screenshots:
// $ROUTINECAST_SCREENSHOTS if set, else the test's temporary folder.
func screenshotDir(t *testing.T) string {
	if d := os.Getenv("ROUTINECAST_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

// varied reports whether a PNG has more than a handful of colours.
func varied(b []byte) bool {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return false
	}
	seen := map[[4]uint32]bool{}
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 5 {
		for x := r.Min.X; x < r.Max.X; x += 5 {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			seen[[4]uint32{cr, cg, cb, ca}] = true
		}
	}
	return len(seen) > 8
}

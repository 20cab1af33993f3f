package studio_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/chromium"
	"routinecast/routines"
	"routinecast/studio"
)

// TestPicturesInChromium opens a routine with a picture in the studio: the
// picture shows beside its exercise's lines, a request for a file outside the
// routine's folder is refused, and an image: that names a missing file is
// shown as the editor shows any mistake, at its line and column.
func TestPicturesInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	testtool.Require(t, "chromium")
	dir := t.TempDir()
	testtool.WriteFile(t, filepath.Join(dir, "secret.png"), "\x89PNG\r\n\x1a\nsecret beside the folder")
	folder := filepath.Join(dir, "routine")
	if err := os.MkdirAll(filepath.Join(folder, "pics"), 0o755); err != nil {
		t.Fatal(err)
	}
	testtool.WriteFile(t, filepath.Join(folder, "pics", "neck.png"), string(studio.PicturePNG(t, 240, 160)))
	src := strings.Replace(studio.TinyRoutine, "  - name: Neck roll\n", "  - name: Neck roll\n    image: pics/neck.png\n", 1)
	routine := testtool.WriteFile(t, filepath.Join(folder, "my.yaml"), src)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := startStudio(t, ctx, routine, "--voice", filepath.Join(dir, "voice"), "--no-browser", "--addr", "127.0.0.1:0")
	b := chromium.Start(t, chromedp.WindowSize(1440, 960))
	chromium.Do(t, b, "opening the printed URL", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))

	waitFor(t, b, "the picture loaded", `[...document.querySelectorAll("#lines img.picture")].some(i => i.complete && i.naturalWidth > 0)`)
	type shown struct {
		Width, Height int
		Beside        string // the heading before it
		Count         int
		Visible       bool
	}
	got := chromium.Eval[shown](t, b, `(() => {
		const imgs = [...document.querySelectorAll("#lines img.picture")];
		const i = imgs[0], r = i.getBoundingClientRect();
		return {Width: i.naturalWidth, Height: i.naturalHeight, Beside: i.previousElementSibling.firstChild.textContent,
			Count: imgs.length, Visible: r.width > 50 && r.height > 30};
	})()`)
	if got.Width != 240 || got.Height != 160 || got.Beside != "Neck roll" || got.Count != 1 || !got.Visible {
		t.Errorf("pictures on the page: %+v; want one, 240x160, visible, after the heading Neck roll", got)
	}
	// Times read as on every other screen of the program.
	waitFor(t, b, "the timeline", `document.querySelector("#timeline .t")`)
	total := chromium.Eval[string](t, b, `document.querySelector("#timeline-total").textContent`)
	first := chromium.Eval[string](t, b, `document.querySelector("#timeline .t").textContent`)
	if m := regexp.MustCompile(`^standard, (\d+):(\d\d)$`).FindStringSubmatch(total); m == nil || first != "0:00" ||
		routines.FormatClock(time.Duration(atoi(t, m[1])*60+atoi(t, m[2]))*time.Second) != m[1]+":"+m[2] {
		t.Errorf("the timeline says %q and starts at %q; want routines.FormatClock's m:ss, 0:00 first", total, first)
	}
	shot := chromium.Run(t, b, "the screenshot", chromedp.CaptureScreenshot())
	if _, err := png.DecodeConfig(bytes.NewReader(shot)); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(screenDir(t), "studio-pictures.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)

	// The page's own requests, with its login: only exercise 1's picture is there.
	for _, p := range []string{"/api/picture/..%2Fsecret.png", "/api/picture/..%2F..%2Fsecret.png", "/api/picture/2",
		"/api/picture/" + strings.ReplaceAll(filepath.Join(dir, "secret.png"), "/", "%2F"), "/secret.png"} {
		res := chromium.Eval[struct {
			Status int
			Body   string
		}](t, b, fmt.Sprintf(`fetch(%q).then(async r => ({Status: r.status, Body: await r.text()}))`, p))
		if (res.Status != 404 && res.Status != 403) || strings.Contains(res.Body, "secret beside") {
			t.Errorf("GET %s: %d %q, want 404 or 403", p, res.Status, res.Body)
		}
	}

	// A picture that is not there is a mistake shown at its line and column.
	bad := strings.Replace(src, "pics/neck.png", "pics/gone.png", 1)
	chromium.Do(t, b, "typing a missing picture", chromedp.Click(chromedp.CSS("#src")), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector("#src"); s.value = %q; s.dispatchEvent(new Event("input")); })()`, bad)))
	waitFor(t, b, "the error at its line", `document.querySelector("#problems li")`)
	problem := chromium.Eval[string](t, b, `document.querySelector("#problems li").textContent`)
	at := chromium.Eval[string](t, b, `document.querySelector("#problems li .at").textContent`)
	if at != "7:12" || !strings.Contains(problem, "pics/gone.png") || !strings.Contains(problem, "no such file") {
		t.Errorf("the missing picture on line 7 (col 12) is shown as %q at %q", problem, at)
	}
}

// screenDir is where screenshots are kept: $ROUTINECAST_SCREENSHOTS, or the
// test's temporary folder.
func screenDir(t *testing.T) string {
	if d := os.Getenv("ROUTINECAST_SCREENSHOTS"); d != "" {
		return d
	}
	return t.TempDir()
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

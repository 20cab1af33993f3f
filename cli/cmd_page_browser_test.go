package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool/chromium"
	"routinecast/pack"
)

// listing is 'show --json' as the test reads it: the reference the page is
// checked against.
type listing struct {
	TotalSeconds float64 `json:"total_seconds"`
	Chapters     []struct {
		Title        string  `json:"title"`
		StartSeconds float64 `json:"start_seconds"`
	} `json:"chapters"`
	Cues []struct {
		AtSeconds float64 `json:"at_seconds"`
		Kind      string  `json:"kind"`
		Seconds   float64 `json:"seconds"`
		Place     *struct {
			Exercise, Exercises int
			Name, Side          string
			Set, Sets, Rep      int
			Reps                int
			Breath, Breaths     int
		} `json:"place"`
	} `json:"cues"`
}

// shown is what the page shows at one moment, and the audio's time then.
type shown struct {
	T         float64 `json:"t"`
	Label     string  `json:"label"`
	Name      string  `json:"name"`
	Side      string  `json:"side"`
	Count     string  `json:"count"`
	Kind      string  `json:"kind"`
	Countdown string  `json:"countdown"`
	Paused    bool    `json:"paused"`
}

const readShown = `(() => { const a = document.getElementById("audio"), x = id => document.getElementById(id).textContent;
	return {t: a.currentTime, label: x("label"), name: x("name"), side: document.getElementById("side").hidden ? "" : x("side"),
		count: x("count"), kind: x("timer-kind"), countdown: x("countdown"), paused: a.paused}; })()`

// expect is what 'show --json' says the page should show at time t.
func (l *listing) expect(t float64) shown {
	var s shown
	chapter := ""
	for _, c := range l.Chapters {
		if c.StartSeconds <= t {
			chapter = c.Title
		}
	}
	s.Name = chapter
	for _, c := range l.Cues {
		if c.AtSeconds > t {
			break
		}
		p := c.Place
		switch {
		case p == nil:
			s.Label, s.Side, s.Count = "", "", ""
			s.Name = chapter
		default:
			s.Label, s.Name, s.Side = "", chapter, ""
			if p.Exercise > 0 {
				s.Label, s.Name = fmt.Sprintf("Exercise %d of %d", p.Exercise, p.Exercises), p.Name
			}
			if p.Side != "" {
				s.Side = strings.ToUpper(p.Side) + " SIDE"
			}
			var parts []string
			if p.Rep > 0 && p.Reps > 1 {
				parts = append(parts, fmt.Sprintf("rep %d of %d", p.Rep, p.Reps))
			}
			if p.Set > 0 && p.Sets > 1 {
				parts = append(parts, fmt.Sprintf("set %d of %d", p.Set, p.Sets))
			}
			if p.Breath > 0 {
				parts = append(parts, fmt.Sprintf("breath %d of %d", p.Breath, p.Breaths))
			}
			s.Count = strings.Join(parts, " · ")
		}
		if end := c.AtSeconds + c.Seconds; t < end {
			if name, timed := timerWords[c.Kind]; timed {
				s.Kind, s.Countdown = name, fmt.Sprint(int(math.Ceil(end-t-1e-9)))
				if c.Kind == "rest" && p != nil && p.Rep == 0 && p.Set > 0 && p.Sets > 1 {
					s.Kind = "SET BREAK"
				}
			}
		}
	}
	return s
}

var timerWords = map[string]string{"hold": "HOLD", "rest": "REST", "breathe_in": "BREATHE IN", "breathe_out": "BREATHE OUT", "settle": "GET READY"}

// matches tells whether the page showed what show --json says at some time
// within a second of the audio's.
func (l *listing) matches(got shown) (shown, bool) {
	at := got.T
	got.T, got.Paused = 0, false
	var nearest shown
	for d := 0.0; d <= 1.0; d += 0.01 {
		for _, t := range []float64{at + d, at - d} {
			if t < 0 {
				continue
			}
			want := l.expect(t)
			if d == 0 {
				nearest = want
			}
			if want == got {
				return want, true
			}
		}
	}
	return nearest, false
}

// TestFollowAlongPage: 'routinecast page' output, opened as a file in
// headless Chromium at a phone's size and played at 8 times the speed,
// shows at every sampled moment the exercise, side, repetition and
// countdown that 'show --json' gives for the audio's time; its buttons
// seek to the next and previous chapters; it asks for a wake lock when it
// plays; served over HTTP once, it loads and plays again with the server
// gone, from its service worker.
func TestFollowAlongPage(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end and sequential: the full run covers it; -short is CI's race run")
	}
	b := chromium.Start(t)
	dir := filepath.Join(t.TempDir(), "page")
	args := []string{"lower-back", "--level", "gentle"}
	if _, errs, code := run(t, append([]string{"page", "-o", dir}, args...)...); code != 0 {
		t.Fatalf("page: exit %d: %s", code, errs)
	}
	out, errs, code := run(t, append([]string{"show", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	var l listing
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}

	const width, height = 390, 844
	chromium.Do(t, b, "opening the page as a file", chromedp.EmulateViewport(width, height, chromedp.EmulateMobile),
		chromedp.Navigate("file://"+filepath.Join(dir, "index.html")))
	waitMetadata(t, b)
	page := chromium.Eval[struct {
		Duration  float64  `json:"duration"`
		Overflow  bool     `json:"overflow"`
		Resources []string `json:"resources"`
	}](t, b, `({duration: document.getElementById("audio").duration,
		overflow: document.documentElement.scrollWidth > innerWidth,
		resources: performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith("file:"))})`)
	if math.Abs(page.Duration-l.TotalSeconds) > 0.1 {
		t.Errorf("the audio lasts %.3f s; show says %.3f s", page.Duration, l.TotalSeconds)
	}
	if page.Overflow {
		t.Error("the page is wider than the phone's screen")
	}
	if len(page.Resources) > 0 {
		t.Errorf("the page loaded resources from elsewhere: %v", page.Resources)
	}

	// The page's call to the Wake Lock API is recorded on its way through.
	chromium.Eval[bool](t, b, `(() => { window.wakeCalls = []; const wl = navigator.wakeLock, req = wl.request.bind(wl);
		wl.request = type => { window.wakeCalls.push(type); return req(type); }; return true; })()`)
	chromium.Do(t, b, "pressing play", chromedp.Click("#play"))
	chromium.Eval[bool](t, b, `(async () => { const a = document.getElementById("audio"); a.playbackRate = 8;
		for (let i = 0; i < 100 && (a.paused || a.currentTime === 0); i++) await new Promise(r => setTimeout(r, 100));
		return !a.paused; })()`)
	wake := chromium.Eval[struct {
		Calls []string `json:"calls"`
		State string   `json:"state"`
	}](t, b, `({calls: window.wakeCalls, state: followAlong.wakeLock})`)
	t.Logf("wake lock: calls %v, %s", wake.Calls, wake.State)
	if len(wake.Calls) == 0 || wake.Calls[0] != "screen" {
		t.Errorf("playing asked for no screen wake lock: %v", wake.Calls)
	}

	// Sample moments through every chapter: three in each, a second apart,
	// playing at 8 times the speed, from a second before its first timed
	// segment (a hold, a breath), where the page has the most to show.
	var samples, sides, reps, timers, pictured int
	for i, c := range l.Chapters {
		from := c.StartSeconds + 3
		end := l.TotalSeconds
		if i+1 < len(l.Chapters) {
			end = l.Chapters[i+1].StartSeconds
		}
		for _, q := range l.Cues {
			if _, timed := timerWords[q.Kind]; timed && q.AtSeconds >= c.StartSeconds && q.AtSeconds < end {
				from = q.AtSeconds - 1
				break
			}
		}
		if i == 0 {
			chromium.Eval[bool](t, b, `(async () => { await new Promise(r => setTimeout(r, 1000)); return true; })()`)
		} else {
			chromium.Eval[bool](t, b, fmt.Sprintf(`(async () => { const a = document.getElementById("audio"); a.currentTime = %g;
				await new Promise(r => a.addEventListener("seeked", r, {once: true})); await new Promise(r => setTimeout(r, 200)); return true; })()`, from))
		}
		for k := 0; k < 3; k++ {
			got := chromium.Eval[shown](t, b, readShown)
			if got.Paused {
				t.Fatalf("the audio stopped at %.2f s", got.T)
			}
			want, ok := l.matches(got)
			if !ok {
				t.Errorf("at %.2f s the page shows %+v; show --json says %+v", got.T, got, want)
			}
			samples++
			// Every exercise of lower-back has a picture: shown, decoded,
			// beside its name; none is shown outside the exercises.
			pic := chromium.Eval[struct {
				Hidden bool `json:"hidden"`
				Width  int  `json:"width"`
			}](t, b, `(() => { const p = document.getElementById("picture"); return {hidden: p.hidden, width: p.naturalWidth}; })()`)
			switch inExercise := strings.HasPrefix(got.Label, "Exercise "); {
			case inExercise && (pic.Hidden || pic.Width == 0):
				t.Errorf("at %.2f s (%s) the page shows no picture: %+v", got.T, got.Name, pic)
			case inExercise:
				pictured++
			case !pic.Hidden:
				t.Errorf("at %.2f s (%s, not an exercise) the page shows a picture", got.T, got.Name)
			}
			if got.Side != "" {
				sides++
			}
			if strings.Contains(got.Count, "rep ") {
				reps++
			}
			if got.Countdown != "" {
				timers++
			}
			chromium.Eval[bool](t, b, `(async () => { await new Promise(r => setTimeout(r, 1000)); return true; })()`)
		}
	}
	t.Logf("%d moments sampled: %d with a side, %d with a rep, %d with a countdown, %d with the exercise's picture", samples, sides, reps, timers, pictured)
	if samples < 20 || sides < 5 || reps < 5 || timers < 10 || pictured < 10 {
		t.Errorf("the samples saw too little: %d moments, %d sides, %d reps, %d countdowns, %d pictures", samples, sides, reps, timers, pictured)
	}

	// The chapter buttons: next goes to the next chapter's start; back, in
	// a chapter's first seconds, to the previous one's, and later to its own.
	ch := l.Chapters
	nav := func(seekTo float64, button string) float64 {
		return chromium.Eval[float64](t, b, fmt.Sprintf(`(async () => { const a = document.getElementById("audio"); a.pause();
			a.currentTime = %g; await new Promise(r => a.addEventListener("seeked", r, {once: true}));
			const s = new Promise(r => a.addEventListener("seeked", r, {once: true})); document.getElementById(%q).click(); await s;
			return a.currentTime; })()`, seekTo, button))
	}
	for _, c := range []struct {
		from   float64
		button string
		want   float64
	}{
		{ch[3].StartSeconds + 10, "forward", ch[4].StartSeconds},
		{ch[4].StartSeconds + 1, "back", ch[3].StartSeconds},
		{ch[4].StartSeconds + 10, "back", ch[4].StartSeconds},
	} {
		if got := nav(c.from, c.button); math.Abs(got-c.want) > 0.05 {
			t.Errorf("%s from %.2f s went to %.2f s, want %.2f s", c.button, c.from, got, c.want)
		}
	}
	meta := chromium.Eval[string](t, b, `navigator.mediaSession.metadata ? navigator.mediaSession.metadata.title : ""`)
	if meta != ch[4].Title {
		t.Errorf("the lock screen says %q, want the chapter %q", meta, ch[4].Title)
	}

	// Screenshots during a hold with a side: a phone in light, a laptop in dark.
	for _, c := range l.Cues {
		if c.Kind == "hold" && c.Place != nil && c.Place.Side != "" && c.Place.Rep > 1 {
			chromium.Eval[bool](t, b, fmt.Sprintf(`(async () => { const a = document.getElementById("audio"); a.currentTime = %g;
				await new Promise(r => a.addEventListener("seeked", r, {once: true})); return true; })()`, c.AtSeconds+c.Seconds/3))
			break
		}
	}
	keepPageScreenshot(t, b, "follow-along-390x844.png", width, height)
	chromium.Do(t, b, "a laptop in dark mode", chromedp.EmulateViewport(1280, 800), darkMode(true))
	keepPageScreenshot(t, b, "follow-along-1280x800-dark.png", 1280, 800)
	chromium.Do(t, b, "back to light", darkMode(false))

	offline(t, b, dir)
}

// offline serves the page over HTTP, opens it once, stops the server and
// opens it again: the service worker serves the page and its audio.
func offline(t *testing.T, b context.Context, dir string) {
	h, err := pack.FolderHandler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	chromium.Do(t, b, "opening the page over http", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/"))
	state := chromium.Eval[string](t, b, `(async () => {
		for (let i = 0; i < 600 && !/^(ready|failed)/.test(followAlong.offline); i++) await new Promise(r => setTimeout(r, 100));
		return followAlong.offline; })()`)
	if state != "ready" {
		t.Fatalf("the page did not keep its files for offline use: %q", state)
	}
	chromium.Eval[bool](t, b, `(document.getElementById("audio").pause(), true)`)
	srv.CloseClientConnections()
	srv.Close()

	chromium.Do(t, b, "opening the page with the server gone", chromedp.Navigate(srv.URL+"/"))
	got := chromium.Eval[struct {
		Controlled bool    `json:"controlled"`
		Name       string  `json:"name"`
		From       float64 `json:"from"`
		To         float64 `json:"to"`
		Error      string  `json:"error"`
		Gone       bool    `json:"gone"`
	}](t, b, `(async () => {
		const a = document.getElementById("audio");
		window.evlog = [];
		for (const ev of ["loadstart","loadedmetadata","seeking","seeked","error","emptied","abort","stalled","playing","waiting","canplay"]) a.addEventListener(ev, () => evlog.push(ev + "@" + a.currentTime.toFixed(2) + " rs" + a.readyState + " ns" + a.networkState + (a.error ? " err" + a.error.code + a.error.message : "")));
		const gone = await fetch("not-kept.txt").then(() => false, () => true);
		try {
			if (a.readyState < 1) await new Promise((res, rej) => { a.addEventListener("loadedmetadata", res, {once: true}); a.addEventListener("error", () => rej(new Error("audio error " + a.error.code)), {once: true}); });
			a.currentTime = 600; await new Promise(r => a.addEventListener("seeked", r, {once: true}));
			const from = a.currentTime; a.playbackRate = 4; await a.play();
			await new Promise(r => setTimeout(r, 1500));
			return {controlled: !!navigator.serviceWorker.controller, name: document.getElementById("name").textContent, from, to: a.currentTime, gone};
		} catch (e) { return {controlled: !!navigator.serviceWorker.controller, error: String(e), gone}; }
	})()`)
	t.Logf("offline: controlled %v, %q, played %.2f → %.2f s, server gone %v %s", got.Controlled, got.Name, got.From, got.To, got.Gone, got.Error)
	if !got.Gone {
		t.Fatal("the server still answers: the offline check proves nothing")
	}
	if !got.Controlled || got.Error != "" || got.To-got.From < 1 || got.Name == "" {
		t.Errorf("offline, the page or its audio did not load: %+v; the audio's events: %v", got, chromium.Eval[[]string](t, b, "window.evlog"))
	}
}

func waitMetadata(t *testing.T, b context.Context) {
	t.Helper()
	ok := chromium.Eval[string](t, b, `(async () => { const a = document.getElementById("audio");
		for (let i = 0; i < 200 && a.readyState < 1 && !a.error; i++) await new Promise(r => setTimeout(r, 100));
		return a.error ? "error " + a.error.code : a.readyState >= 1 ? "" : "no metadata in 20 s"; })()`)
	if ok != "" {
		t.Fatalf("the audio did not load: %s", ok)
	}
}

func darkMode(on bool) chromedp.Action[chromedp.Void] {
	v := "light"
	if on {
		v = "dark"
	}
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}},
		})
		return err
	})
}

// keepPageScreenshot takes a screenshot of the tab, which must be of the
// screen's size and not blank, and keeps it as name in
// $ROUTINECAST_SCREENSHOTS, or the test's temporary folder.
func keepPageScreenshot(t *testing.T, b context.Context, name string, width, height int) {
	t.Helper()
	chromium.Eval[bool](t, b, `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	img := chromium.Run(t, b, "screenshot "+name, chromedp.CaptureScreenshot())
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil || cfg.Width != width || cfg.Height != height {
		t.Errorf("screenshot %s: %dx%d (%v), want %dx%d", name, cfg.Width, cfg.Height, err, width, height)
	}
	dir := os.Getenv("ROUTINECAST_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}

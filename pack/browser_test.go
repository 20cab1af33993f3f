package pack

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"routinecast/internal/testtool"
)

// cdp is a minimal Chrome DevTools Protocol client: one page, commands sent
// one at a time, events skipped.
type cdp struct {
	ws *websocket.Conn
	id int
}

func (c *cdp) call(method string, params any, result any) error {
	c.id++
	msg := map[string]any{"id": c.id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if err := websocket.JSON.Send(c.ws, msg); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	for {
		var resp struct {
			ID     int             `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := websocket.JSON.Receive(c.ws, &resp); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
		if resp.ID != c.id {
			continue // an event
		}
		if resp.Error != nil {
			return fmt.Errorf("%s: %s", method, resp.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(resp.Result, result)
		}
		return nil
	}
}

// eval runs a JavaScript expression in the page, awaiting a promise, and
// decodes its JSON value into out.
func (c *cdp) eval(expr string, out any) error {
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := c.call("Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &r)
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("javascript: %s %s", r.ExceptionDetails.Text, r.ExceptionDetails.Exception.Description)
	}
	if out != nil {
		return json.Unmarshal(r.Result.Value, out)
	}
	return nil
}

// startChromium starts headless Chromium with remote debugging on a free port
// and connects to its first page.
func startChromium(t *testing.T, ctx context.Context) *cdp {
	t.Helper()
	bin := testtool.Require(t, "chromium")
	// Not t.TempDir: Chromium's helper processes may still be writing the
	// profile for a moment after the browser is killed, and TempDir's cleanup
	// fails the test on a folder that is not empty.
	profile, err := os.MkdirTemp("", "routinecast-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--remote-debugging-port=0", "--remote-allow-origins=http://127.0.0.1",
		"--autoplay-policy=no-user-gesture-required", "--mute-audio", "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	// Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
	found := make(chan string, 1)
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(stderr)
		re := regexp.MustCompile(`DevTools listening on (ws://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			} else if log.Len() < 4096 {
				log.WriteString(sc.Text() + "\n")
			}
		}
	}()
	var browserURL string
	select {
	case browserURL = <-found:
	case <-time.After(30 * time.Second):
		t.Fatalf("chromium did not start its DevTools server in 30 s")
	}
	host := strings.TrimPrefix(browserURL, "ws://")
	host = host[:strings.IndexByte(host, '/')]
	var pageWS string
	for deadline := time.Now().Add(10 * time.Second); pageWS == "" && time.Now().Before(deadline); {
		resp, err := http.Get("http://" + host + "/json/list")
		if err == nil {
			var targets []struct{ Type, WebSocketDebuggerURL string }
			json.NewDecoder(resp.Body).Decode(&targets)
			resp.Body.Close()
			for _, tg := range targets {
				if tg.Type == "page" {
					pageWS = tg.WebSocketDebuggerURL
					break
				}
			}
		}
		if pageWS == "" {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if pageWS == "" {
		t.Fatal("chromium has no page to drive")
	}
	ws, err := websocket.Dial(pageWS, "", "http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	ws.MaxPayloadBytes = 64 << 20
	t.Cleanup(func() { ws.Close() })
	if dl, ok := ctx.Deadline(); ok {
		ws.SetDeadline(dl)
	}
	return &cdp{ws: ws}
}

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

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := startChromium(t, ctx)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const width, height = 412, 915 // a phone, in CSS pixels
	must(c.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": true}, nil))
	must(c.call("Page.enable", nil, nil))
	must(c.call("Page.navigate", map[string]any{"url": srv.URL + "/"}, nil))
	for deadline := time.Now().Add(30 * time.Second); ; {
		var state string
		if err := c.eval("document.readyState", &state); err == nil && state == "complete" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page did not finish loading in 30 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	var page struct {
		Title     string   `json:"title"`
		Episodes  int      `json:"episodes"`
		Overflow  bool     `json:"overflow"`
		Resources []string `json:"resources"`
		CoverOK   bool     `json:"coverOK"`
	}
	must(c.eval(`({
		title: document.querySelector("h1").textContent,
		episodes: document.querySelectorAll("article.episode").length,
		overflow: document.documentElement.scrollWidth > window.innerWidth,
		resources: performance.getEntriesByType("resource").map(e => e.name).filter(n => !n.startsWith(location.origin)),
		coverOK: (() => { const i = document.querySelector("header img"); return i.complete && i.naturalWidth === 1400; })(),
	})`, &page))
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
		var got struct {
			Duration float64 `json:"duration"`
			Before   float64 `json:"before"`
			After    float64 `json:"after"`
			Want     float64 `json:"want"`
			Chapters int     `json:"chapters"`
		}
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
		if err := c.eval(js, &got); err != nil {
			t.Fatalf("episode %s: %v", e.Slug, err)
		}
		t.Logf("episode %s: duration %.3f s (built %.3f s), chapter click %.3f -> %.3f s (chapter at %.3f s), %d chapters",
			e.Slug, got.Duration, e.Duration.Seconds(), got.Before, got.After, got.Want, got.Chapters)
		if math.Abs(got.Duration-e.Duration.Seconds()) > 0.1 {
			t.Errorf("episode %s: the player says %.3f s, the build %.3f s", e.Slug, got.Duration, e.Duration.Seconds())
		}
		if got.Want <= 0 || got.Before != 0 || math.Abs(got.After-got.Want) > 0.05 {
			t.Errorf("episode %s: a click on the chapter at %.3f s moved the player from %.3f to %.3f s", e.Slug, got.Want, got.Before, got.After)
		}
	}

	var shot struct {
		Data string `json:"data"`
	}
	must(c.call("Page.captureScreenshot", map[string]any{"format": "png"}, &shot))
	img, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if cfg.Width != width || cfg.Height != height {
		t.Errorf("screenshot is %dx%d, want %dx%d", cfg.Width, cfg.Height, width, height)
	}
	if !varied(img) {
		t.Error("the screenshot is blank")
	}
	out := filepath.Join(t.TempDir(), "index.png")
	if d := os.Getenv("ROUTINECAST_SCREENSHOTS"); d != "" {
		out = filepath.Join(d, "pack-index.png")
	}
	must(os.WriteFile(out, img, 0o644))
	t.Logf("screenshot: %s", out)
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

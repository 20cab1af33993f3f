package studio_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"routinecast/audio"
	"routinecast/cli"
	"routinecast/internal/testtool"
	"routinecast/internal/testtool/chromium"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/studio"
)

var screenshot = flag.String("screenshot", "", "write a screenshot of the studio to this PNG file (for the README)")

// The fed speech: one sentence, about three seconds, looped by Chromium's
// fake microphone.
const speechText = "Reach up slowly, breathe out, and let your shoulders drop."

// startStudio runs 'routinecast studio' in-process, as a person would, and
// returns the URL it printed.
func startStudio(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		err := cli.Run(ctx, append([]string{"routinecast", "studio"}, args...), strings.NewReader(""), pw, &stderr)
		pw.CloseWithError(fmt.Errorf("studio ended: %v", err))
		done <- err
	}()
	t.Cleanup(func() {
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the studio did not stop")
		}
	})
	re := regexp.MustCompile(`^http://studio-[a-z2-7]+\.localhost:\d+/\?token=\S+$`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if re.MatchString(sc.Text()) {
			go io.Copy(io.Discard, pr)
			return sc.Text()
		}
	}
	t.Fatalf("the studio printed no loopback URL: %v; stderr: %s", sc.Err(), stderr.String())
	return ""
}

// waitFor polls a JavaScript expression until it is truthy and returns its
// value as a string; a failure shows the page's status lines.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(tctx, chromedp.Poll[any](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(80*time.Second))); err != nil {
		status := chromium.Eval[string](t, ctx, `[...document.querySelectorAll(".status")].map(e => e.id + ": " + e.textContent).join(" | ")`)
		t.Fatalf("waiting for %s (%s): %v; page: %s", what, expr, err, status)
	}
}

// TestStudioInChromium drives the studio page in headless Chromium with a
// fake microphone: it records two lines with the keyboard, checks the clips
// in the voice folder against the speech fed in, edits the routine with a
// mistake and then a fix, plays the session and downloads the MP3.
func TestStudioInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	espeak := testtool.Require(t, "espeak-ng")
	testtool.Require(t, "chromium")
	shot := *screenshot
	if shot != "" {
		var err error
		if shot, err = filepath.Abs(shot); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	// Relative paths, as a person types them (and as the screenshot shows).
	t.Chdir(dir)
	speech := filepath.Join(dir, "speech.wav")
	testtool.Output(t, espeak, "-w", speech, speechText)
	routine := "my.yaml"
	testtool.WriteFile(t, routine, studio.TinyRoutine)
	voice := "my-voice"
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache")) // the engine's clips
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := startStudio(t, ctx, routine, "--voice", voice, "--engine", "espeak-ng", "--no-browser", "--addr", "127.0.0.1:0")
	// Chromium's microphone plays the speech, looped.
	b := chromium.Start(t,
		chromedp.WindowSize(1440, 960),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-audio-capture", speech),
	)

	chromium.Do(t, b, "opening the printed URL", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	if loc := chromium.Eval[string](t, b, `location.href`); strings.Contains(loc, "token") {
		t.Errorf("the token stays in the address bar: %s", loc)
	}
	shown := chromium.Eval[[]string](t, b, `[...document.querySelectorAll("#lines li .text")].map(e => e.textContent)`)
	for _, want := range []string{"Welcome to a short stretch.", "Roll your head slowly.", "Lift your shoulders, then let them drop."} {
		if !slices.Contains(shown, want) {
			t.Errorf("the page does not list %q; it lists %q", want, shown)
		}
	}
	chapters := chromium.Eval[[]string](t, b, `[...document.querySelectorAll("#lines h3")].map(e => e.firstChild.textContent)`)
	if len(chapters) < 3 || chapters[0] != "Introduction" || !slices.Contains(chapters, "Neck roll") {
		t.Errorf("chapters %q", chapters)
	}

	// Record two lines: the first by clicking it, the second with Enter.
	// The first goes through the AudioWorklet recorder; the second through
	// the script processor the page falls back to in a browser without
	// AudioWorklet (hidden from the page for that take).
	first := "Welcome to a short stretch."
	chromium.Do(t, b, "selecting a line", chromedp.Click(chromedp.CSS(`#lines li[data-key]`)))
	keys := []string{}
	var peaks []float64
	var recorders []string
	for i := range 2 {
		if i == 1 {
			chromium.Do(t, b, "next missing", chromedp.KeyEvent(kb.Enter))
			chromium.Do(t, b, "hiding AudioWorklet", chromedp.Evaluate[chromedp.Void](
				`Object.defineProperty(AudioContext.prototype, "audioWorklet", {configurable: true, get: () => undefined}); undefined`))
		}
		keys = append(keys, chromium.Eval[string](t, b, `selected`))
		chromium.Do(t, b, "record", chromedp.KeyEvent("r"))
		waitFor(t, b, "recording", `document.body.classList.contains("recording")`)
		recorders = append(recorders, chromium.Eval[string](t, b, `document.body.dataset.recorder`))
		// The level meter moves while the fake microphone speaks.
		var peak float64
		for range 25 {
			time.Sleep(120 * time.Millisecond)
			peak = max(peak, chromium.Eval[float64](t, b, `parseFloat(document.querySelector("#meter-bar").style.width) || 0`))
		}
		peaks = append(peaks, peak)
		chromium.Do(t, b, "stop", chromedp.KeyEvent(" "))
		waitFor(t, b, "the take saved", `document.querySelector("#status").textContent.startsWith("Saved")`)
	}
	chromium.Do(t, b, "AudioWorklet back", chromedp.Evaluate[chromedp.Void](`delete AudioContext.prototype.audioWorklet`))
	for i, p := range peaks {
		if p < 20 {
			t.Errorf("take %d: the level meter reached %.0f%% at most", i+1, p)
		}
	}
	if !slices.Equal(recorders, []string{"audio-worklet", "script-processor"}) {
		t.Errorf("the takes were recorded by %q, want an audio worklet, then the script processor", recorders)
	}
	texts := chromium.Eval[[]string](t, b, fmt.Sprintf(`[%q, %q].map(k => lineByKey(k).text)`, keys[0], keys[1]))
	if texts[0] != first || texts[1] == first {
		t.Fatalf("recorded %q", texts)
	}
	states := chromium.Eval[[]string](t, b, fmt.Sprintf(`[%q, %q].map(k => document.querySelector("#lines li[data-key='" + k + "']").dataset.state)`, keys[0], keys[1]))
	if states[0] != "recorded" || states[1] != "recorded" {
		t.Errorf("after recording the page shows %q", states)
	}
	if c := chromium.Eval[string](t, b, `document.querySelector("#counter").textContent`); !strings.HasPrefix(c, "2 of ") {
		t.Errorf("counter %q", c)
	}

	// P plays the take; a new take of the same line replaces it, and U
	// brings the first back.
	chromium.Do(t, b, "play the take", chromedp.KeyEvent("p"))
	waitFor(t, b, "the take playing", `(p => !p.paused && p.currentTime > 0.2)(document.querySelector("#take-player"))`)
	v, err := narration.Open(voice)
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := os.ReadFile(filepath.Join(voice, v.FileName(texts[1])))
	chromium.Do(t, b, "record again", chromedp.KeyEvent("r"))
	waitFor(t, b, "recording", `document.body.classList.contains("recording")`)
	if via := chromium.Eval[string](t, b, `document.body.dataset.recorder`); via != "audio-worklet" {
		t.Errorf("the retake was recorded by %q, want the audio worklet", via)
	}
	time.Sleep(1500 * time.Millisecond)
	chromium.Do(t, b, "stop", chromedp.KeyEvent(" "))
	waitFor(t, b, "the second take saved", `document.querySelector("#status").textContent.startsWith("Saved")`)
	if retake, _ := os.ReadFile(filepath.Join(voice, v.FileName(texts[1]))); bytes.Equal(retake, kept) {
		t.Error("the second take did not replace the first")
	}
	chromium.Do(t, b, "undo", chromedp.KeyEvent("u"))
	waitFor(t, b, "the undo", `document.querySelector("#status").textContent.startsWith("Brought back")`)
	if back, _ := os.ReadFile(filepath.Join(voice, v.FileName(texts[1]))); !bytes.Equal(back, kept) {
		t.Error("U did not bring the first take back")
	}

	// The clips are in the voice folder under the names voice import gives,
	// and hold the speech the microphone was fed.
	v, err = narration.Open(voice)
	if err != nil {
		t.Fatal(err)
	}
	fed, err := audio.LoadFile(speech, corrRate, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		name, ok := v.ClipFile(text)
		if !ok || name != v.FileName(text) {
			t.Fatalf("no clip %q for %q in %s", v.FileName(text), text, voice)
		}
		clip, err := audio.LoadFile(filepath.Join(voice, name), corrRate, 1)
		if err != nil {
			t.Fatalf("the clip of %q does not decode: %v", text, err)
		}
		if d := clip.Duration(); d < time.Second {
			t.Errorf("the clip of %q is only %v", text, d)
		}
		r := bestCorrelation(clip.Samples, fed.Samples)
		t.Logf("%s: %v, correlation with the fed speech %.3f", name, clip.Duration().Round(time.Millisecond), r)
		if r < 0.7 {
			t.Errorf("the clip of %q correlates %.3f with the speech fed to the microphone, want >= 0.7", text, r)
		}
	}

	// voice check reports them recorded.
	var out, errb bytes.Buffer
	cli.Run(context.Background(), []string{"routinecast", "voice", "check", routine, "--voice", voice, "--all-levels"}, strings.NewReader(""), &out, &errb)
	total := len(chromium.Eval[[]string](t, b, `allLines().map(l => l.key)`))
	if !strings.Contains(out.String(), fmt.Sprintf("%d lines have no clip:", total-2)) {
		t.Errorf("voice check does not count two lines recorded:\n%s", out.String())
	}
	for _, text := range texts {
		if strings.Contains(out.String(), "  "+text+"\n") {
			t.Errorf("voice check lists %q as missing", text)
		}
	}

	// An edit with a mistake shows the error at its line, as you type.
	bad := strings.Replace(studio.TinyRoutine, "reps: 2", "reps: lots", 1)
	chromium.Do(t, b, "typing a mistake", chromedp.Click(chromedp.CSS("#src")), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector("#src"); s.value = %q; s.dispatchEvent(new Event("input")); })()`, bad)))
	waitFor(t, b, "the error at its line", `document.querySelector("#gutter div.err")`)
	errLines := chromium.Eval[[]string](t, b, `[...document.querySelectorAll("#gutter div.err")].map(d => d.dataset.line)`)
	at := chromium.Eval[string](t, b, `document.querySelector("#problems li .at").textContent`)
	if len(errLines) != 1 || errLines[0] != "9" || at != "9:11" {
		t.Errorf("the mistake on line 9 (col 11) is shown at lines %q, %q", errLines, at)
	}
	// Fixed and saved: the file changes and the timeline shows the new line.
	good := strings.Replace(studio.TinyRoutine, "Sit tall.", "Sit up tall.", 1)
	chromium.Do(t, b, "fixing", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector("#src"); s.value = %q; s.dispatchEvent(new Event("input")); })()`, good)))
	waitFor(t, b, "the error gone", `!document.querySelector("#gutter div.err") && document.querySelector("#check-status").textContent === "valid"`)
	chromium.Do(t, b, "saving", chromedp.Click(chromedp.CSS("#save")))
	waitFor(t, b, "saved", `document.querySelector("#check-status").textContent === "saved"`)
	if got, _ := os.ReadFile(routine); string(got) != good {
		t.Errorf("the routine file holds:\n%s", got)
	}
	waitFor(t, b, "the timeline with the new line", `document.querySelector("#timeline").textContent.includes("Sit up tall.")`)

	// The session plays, synthesised lines labelled.
	chromium.Do(t, b, "play", chromedp.Click(chromedp.CSS("#preview-play")))
	waitFor(t, b, "the preview playing", `document.querySelector("#preview").currentTime > 1.5`)
	if n := chromium.Eval[int](t, b, `document.querySelectorAll("#lines li[data-state=synthesised] .badge.synthesised").length`); n != total-2 {
		t.Errorf("%d lines labelled synthesised, want %d", n, total-2)
	}
	waitFor(t, b, "the timeline from the clips", `lastTimeline && !lastTimeline.estimated`)
	if n := chromium.Eval[int](t, b, `document.querySelectorAll("#timeline .cue.synthesised").length`); n == 0 {
		t.Error("the timeline labels no line as synthesised")
	}
	if n := chromium.Eval[int](t, b, `document.querySelectorAll("#timeline .cue.missing").length`); n != 0 {
		t.Errorf("the timeline labels %d lines as not recorded though every line has a clip", n)
	}
	// Playing from a chapter seeks the stream there.
	start := chromium.Eval[float64](t, b, `parseFloat(document.querySelectorAll("#chapters button")[2].dataset.start)`)
	chromium.Do(t, b, "play from a chapter", chromedp.Click(chromedp.CSS(`#chapters li:nth-child(3) button`)))
	waitFor(t, b, "playing from the chapter", fmt.Sprintf(`document.querySelector("#preview").currentTime > %f`, start+0.5))
	// The music select offers export's beds; the session plays, and
	// downloads, with the one chosen.
	if got, want := chromium.Eval[string](t, b, `[...document.querySelectorAll("#music option")].map(o => o.value).join(",")`), "none,"+strings.Join(mixer.BedNames(), ","); got != want {
		t.Errorf("the music select offers %s, want %s", got, want)
	}
	chromium.Do(t, b, "choosing calm", chromedp.SetValue(chromedp.CSS("#music"), "calm"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#music").dispatchEvent(new Event("change"))`))
	chromium.Do(t, b, "play with calm", chromedp.Click(chromedp.CSS("#preview-play")))
	waitFor(t, b, "the session with calm playing", `document.querySelector("#preview").src.includes("music=calm") && document.querySelector("#preview").currentTime > 1`)
	if href := chromium.Eval[string](t, b, `document.querySelector("#download").href`); !strings.Contains(href, "music=calm") {
		t.Errorf("the download link %s does not ask for calm", href)
	}
	if shot != "" {
		chromium.Do(t, b, "scrolling to the top", chromedp.Evaluate[chromedp.Void](`document.querySelector("#lines-pane").scrollTop = 0; window.scrollTo(0, 0)`))
		png := chromium.Run(t, b, "the screenshot", chromedp.CaptureScreenshot())
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The download decodes, as long as the timeline.
	href := chromium.Eval[string](t, b, `document.querySelector("#download").href`)
	c := studio.LoopbackClient()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(href)
	if err != nil {
		t.Fatal(err)
	}
	mp3, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("download: %s, %v", resp.Status, err)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="my-standard.mp3"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	dec, format := studio.DecodeClip(t, mp3, "download.mp3")
	if format.SampleRate != 44100 {
		t.Errorf("MP3 at %d Hz", format.SampleRate)
	}
	wantTotal := chromium.Eval[float64](t, b, `lastTimeline.total_seconds`)
	if d := dec.Duration().Seconds(); math.Abs(d-wantTotal) > 0.06 {
		t.Errorf("the MP3 is %.3f s, the timeline %.3f s", d, wantTotal)
	}

	// The microphone's refusals read as advice.
	for name, want := range map[string]string{"NotAllowedError": "Microphone access was denied", "NotFoundError": "No microphone was found"} {
		chromium.Do(t, b, "refusing the microphone", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("refused", %q)); document.activeElement.blur()`, name)))
		chromium.Do(t, b, "record", chromedp.KeyEvent("r"))
		waitFor(t, b, name, fmt.Sprintf(`document.querySelector("#status").textContent.startsWith(%q)`, want))
	}
}

// corrRate is the rate clips are compared at: speech's fundamentals and
// formants are under 4 kHz.
const corrRate = 8000

// bestCorrelation is the highest normalised cross-correlation between the
// middle second of clip and the fed speech looped (the fake microphone loops
// its file, so a take may start anywhere in it).
func bestCorrelation(clip, fed [][2]float64) float64 {
	// Half-second windows at a quarter, a half and three quarters of the
	// take, the best of them: Chromium's fake microphone can drop or repeat
	// a few milliseconds on a loaded machine, which spoils one window but not
	// all, while a take that is not the fed speech matches in none.
	best := 0.0
	n := min(len(clip), corrRate/2)
	for _, at := range []float64{0.25, 0.5, 0.75} {
		from := int(float64(len(clip)-n) * at)
		best = max(best, correlationAt(clip[from:from+n], fed))
	}
	return best
}

// correlationAt is the best normalised correlation of the window x with the
// looped fed speech, over every lag.
func correlationAt(clip, fed [][2]float64) float64 {
	n := len(clip)
	x := make([]float64, n)
	var ex float64
	for i := range x {
		x[i] = clip[i][0]
		ex += x[i] * x[i]
	}
	loop := make([]float64, 0, 2*len(fed)+n)
	for len(loop) < len(fed)+n {
		for _, s := range fed {
			loop = append(loop, s[0])
		}
	}
	best := 0.0
	for lag := 0; lag < len(fed); lag++ {
		y := loop[lag : lag+n]
		var xy, ey float64
		for i, v := range y {
			xy += x[i] * v
			ey += v * v
		}
		if ey > 0 && ex > 0 {
			best = max(best, xy/math.Sqrt(ex*ey))
		}
	}
	return best
}

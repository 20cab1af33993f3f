package page

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool/chromium"
	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

// TestPageInSpanish opens the follow-along page of lower-back-es in
// headless Chromium and moves its clock to a hold on a side, a rest before
// the next repetition and a breath: every word the page shows, and the
// labels of its buttons and links, are Spanish, and none is the English
// the page says for an English routine. The audio's clock is set by the
// test (the page reads nothing else), so no audio is rendered.
func TestPageInSpanish(t *testing.T) {
	b := chromium.Start(t)
	tl, err := mixer.Compile(routinetest.Script(t, "lower-back-es", routines.Standard), &mixertest.Clips{}, mixer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := tl.Follow()
	var hold, rest, breath *mixer.FollowSpan
	for i := range f.Spans {
		s := &f.Spans[i]
		switch {
		case s.Timer == nil:
		case hold == nil && s.Timer.Kind == "hold" && s.Place.Side != "" && s.Place.Reps > 1:
			hold = s
		case rest == nil && s.Timer.Kind == "rest" && s.Next != nil && s.Next.Place.Side != "":
			rest = s
		case breath == nil && s.Timer.Kind == "breathe_in" && s.Place.Breath > 0:
			breath = s
		}
	}
	if hold == nil || rest == nil || breath == nil {
		t.Fatalf("lower-back-es has no hold on a side (%v), rest before a side (%v) or breath (%v)", hold, rest, breath)
	}
	var page bytes.Buffer
	if err := Write(&page, f, Options{Title: f.Title, Language: "es", Audio: "audio.mp3", Handout: "hoja.pdf", Back: "../index.html"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	chromium.Do(t, b, "opening the page", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate("file://"+filepath.Join(dir, "index.html")))
	type view struct {
		Text, Label, Side, Count, Kind, Of, Next, Left, Total, PlayLabel, Links, Nav string
	}
	at := func(s *mixer.FollowSpan) view {
		t.Helper()
		// The middle of the span, a whole second before its end.
		when := s.Start + min(1, (s.End-s.Start)/2)
		return chromium.Eval[view](t, b, fmt.Sprintf(`(() => {
			const a = document.getElementById("audio"), x = id => document.getElementById(id).textContent;
			Object.defineProperty(a, "currentTime", {configurable: true, get: () => %g, set: () => {}});
			a.dispatchEvent(new Event("timeupdate"));
			return {Text: document.body.innerText, Label: x("label"), Side: x("side"), Count: x("count"), Kind: x("timer-kind"),
				Of: x("timer-of"), Next: x("next"), Left: x("left-chapter"), Total: x("left-total"),
				PlayLabel: document.getElementById("play").getAttribute("aria-label"),
				Links: [...document.querySelectorAll("footer a")].map(e => e.textContent).join("|"),
				Nav: [...document.querySelectorAll("nav, nav button")].map(e => e.getAttribute("aria-label")).join("|")};
		})()`, when))
	}
	english := []string{"Exercise", "SIDE", "HOLD", "REST", "BREATHE", "rep ", "set ", "breath ", "Next", "left",
		"Chapter", "All episodes", "Printable", "Play", "Playback", "Previous"}
	check := func(what string, v view, want map[string]string) {
		t.Helper()
		got := map[string]string{"label": v.Label, "side": v.Side, "count": v.Count, "kind": v.Kind, "of": v.Of,
			"next": v.Next, "left": v.Left, "total": v.Total, "play": v.PlayLabel, "links": v.Links, "nav": v.Nav}
		for k, w := range want {
			if !strings.Contains(got[k], w) {
				t.Errorf("%s: the page's %s says %q, want %q", what, k, got[k], w)
			}
		}
		all := v.Text + "\n" + v.PlayLabel + "\n" + v.Nav
		for _, e := range english {
			if strings.Contains(all, e) {
				t.Errorf("%s: the page says the English %q:\n%s", what, e, all)
			}
		}
	}
	hp := hold.Place
	check("a hold", at(hold), map[string]string{
		"label": fmt.Sprintf("Ejercicio %d de %d", hp.Exercise, hp.Exercises),
		"side":  strings.ToUpper(hp.Side), "count": fmt.Sprintf("repetición %d de %d", hp.Rep, hp.Reps),
		"kind": "MANTÉN", "of": "de ", "left": "de este ejercicio", "total": "quedan ",
		"play": "Reproducir", "links": "Todos los episodios|Hoja para imprimir (PDF)|Audio (MP3)",
		"nav": "Reproducción|Capítulo anterior|Reproducir|Capítulo siguiente",
	})
	check("a rest", at(rest), map[string]string{"kind": "DESCANSA", "next": "A continuación: " + rest.Next.Place.Side})
	check("a breath", at(breath), map[string]string{"kind": "INSPIRA",
		"count": fmt.Sprintf("respiración %d de %d", breath.Place.Breath, breath.Place.Breaths)})
}

package pack

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"routinecast/handout"
	"routinecast/internal/testtool/chromium"
)

// picturesJS reads, per episode, its schedule line and each picture: whether
// Chromium decoded it, and its size on the page.
const picturesJS = `[...document.querySelectorAll("article.episode")].map(a => ({
	schedule: (a.querySelector("p.schedule") || {}).textContent || "",
	pictures: [...a.querySelectorAll("img.picture")].map(i => ({loaded: i.complete && i.naturalWidth > 0, natural: i.naturalWidth, width: i.getBoundingClientRect().width})),
}))`

type pagePictures struct {
	Schedule string
	Pictures []struct {
		Loaded         bool
		Natural, Width float64
	}
}

// The example pack's episodes are the built-in lower-back routine: its page
// shows each exercise's and variant's picture, decoded by Chromium and drawn
// at a readable size, and the schedule in words; a screenshot is kept.
func TestPagePicturesInChromium(t *testing.T) {
	p, dir := examplePage(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	b := chromium.Start(t)
	openPage(t, b, srv.URL+"/", 390, 844, true)
	got := chromium.Eval[[]pagePictures](t, b, picturesJS)
	if len(got) != len(p.Episodes) {
		t.Fatalf("%d episodes on the page, want %d", len(got), len(p.Episodes))
	}
	for i, e := range p.Episodes {
		want := 0
		for _, ex := range e.Routine.Exercises {
			if ex.Image != nil {
				want++
			}
			if ex.Variant != nil && ex.Variant.Image != nil {
				want++
			}
		}
		if want == 0 {
			t.Fatalf("episode %d: its routine has no pictures to show", i+1)
		}
		pics := got[i].Pictures
		if len(pics) != want {
			t.Errorf("episode %d: %d pictures, want %d", i+1, len(pics), want)
		}
		for k, pic := range pics {
			if !pic.Loaded || pic.Natural != 480 || pic.Width < 80 {
				t.Errorf("episode %d, picture %d: %+v; want a decoded 480-pixel picture at least 80 px wide", i+1, k+1, pic)
			}
		}
		if w := handout.ScheduleWords(e.Routine.Schedule, e.Routine.Language); w == "" || !strings.Contains(got[i].Schedule, w) {
			t.Errorf("episode %d: schedule %q, want %q", i+1, got[i].Schedule, w)
		}
	}
	chromium.Eval[bool](t, b, `(document.querySelector("article.episode ol.exercises").scrollIntoView(), true)`)
	keepScreenshot(t, b, fmt.Sprintf("pack-pictures-%s.png", "phone"), 390, 844)
}

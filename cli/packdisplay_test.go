package cli

import (
	"bytes"
	"testing"
	"time"

	"routinecast/pack"
)

// Off a terminal the display prints a line for each episode done, and
// nothing for the progress between.
func TestDisplayPlain(t *testing.T) {
	var b bytes.Buffer
	d := newPackDisplay(&b, false)
	a, c := &pack.Episode{Slug: "a"}, &pack.Episode{Slug: "c"}
	d.update(pack.Progress{Kind: pack.Reused, Episode: c, Duration: 61 * time.Second, Bytes: 1e6})
	d.update(pack.Progress{Kind: pack.Started, Episode: a, Count: 1})
	d.update(pack.Progress{Kind: pack.Measuring, Episode: a, Count: 1})
	d.update(pack.Progress{Kind: pack.Advanced, Episode: a, Count: 1, Done: 1, Total: 2})
	d.update(pack.Progress{Kind: pack.Rendered, Episode: a, Count: 1, Duration: 90 * time.Second, Bytes: 2.5e6, Elapsed: 1500 * time.Millisecond})
	d.finish()
	want := "unchanged c.mp3 (1:01)\nrendered a.mp3 (1:30, 2.5 MB) in 1.5s [1/1]\n"
	if b.String() != want {
		t.Errorf("display:\n%q\nwant\n%q", b.String(), want)
	}
}

// On a terminal one status line is redrawn with every rendering episode,
// and cleared before a line that stays and at the end.
func TestDisplayTerminal(t *testing.T) {
	var b bytes.Buffer
	d := newPackDisplay(&b, true)
	a, c := &pack.Episode{Slug: "a"}, &pack.Episode{Slug: "c"}
	d.update(pack.Progress{Kind: pack.Started, Episode: c, Count: 2})
	d.update(pack.Progress{Kind: pack.Started, Episode: a, Count: 2})
	d.update(pack.Progress{Kind: pack.Measuring, Episode: c, Count: 2})
	d.update(pack.Progress{Kind: pack.Rendered, Episode: a, Count: 2, Duration: time.Second})
	d.finish()
	want := "\r\033[Krendering [0/2 done] c 0%" +
		"\r\033[Krendering [0/2 done] a 0%, c 0%" +
		"\r\033[Krendering [0/2 done] a 0%, c measuring" +
		"\r\033[Krendered a.mp3 (0:01, 0.0 MB) in 0.0s [1/2]\n" +
		"\r\033[Krendering [1/2 done] c measuring" +
		"\r\033[K"
	if b.String() != want {
		t.Errorf("display:\n%q\nwant\n%q", b.String(), want)
	}
}

package pack

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestIsPackFile(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		src  string
		want bool
	}{
		"pack":          {"title: P\nepisodes:\n  - routine: lower-back\n", true},
		"routine":       {"title: R\nexercises:\n  - name: Bridge\n", false},
		"both":          {"episodes: []\nexercises: []\n", false},
		"broken":        {"title: [\n", false},
		"two documents": {"episodes: []\n---\nepisodes: []\n", false},
		"a list":        {"- episodes\n", false},
		// 300,000 nested brackets kept the parser busy for minutes and
		// took gigabytes: the shape check refuses them before it.
		"nested deep": {"episodes: " + strings.Repeat("[", 300000) + "\n", false},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
		os.WriteFile(p, []byte(c.src), 0o644)
		if got := IsPackFile(p); got != c.want {
			t.Errorf("%s: IsPackFile = %v", name, got)
		}
	}
	if IsPackFile(filepath.Join(dir, "missing.yaml")) || IsPackFile(dir) {
		t.Error("a missing file or a folder is a pack file")
	}
}

// Off a terminal the display prints a line for each episode done, and
// nothing for the progress between.
func TestDisplayPlain(t *testing.T) {
	var b bytes.Buffer
	d := NewDisplay(&b)
	a, c := &Episode{Slug: "a"}, &Episode{Slug: "c"}
	d.Update(Progress{Kind: Reused, Episode: c, Duration: 61 * time.Second, Bytes: 1e6})
	d.Update(Progress{Kind: Started, Episode: a, Count: 1})
	d.Update(Progress{Kind: Measuring, Episode: a, Count: 1})
	d.Update(Progress{Kind: Advanced, Episode: a, Count: 1, Done: 1, Total: 2})
	d.Update(Progress{Kind: Rendered, Episode: a, Count: 1, Duration: 90 * time.Second, Bytes: 2.5e6, Elapsed: 1500 * time.Millisecond})
	d.Finish()
	want := "unchanged c.mp3 (1:01)\nrendered a.mp3 (1:30, 2.5 MB) in 1.5s [1/1]\n"
	if b.String() != want {
		t.Errorf("display:\n%q\nwant\n%q", b.String(), want)
	}
}

// On a terminal one status line is redrawn with every rendering episode,
// and cleared before a line that stays and at the end.
func TestDisplayTerminal(t *testing.T) {
	var b bytes.Buffer
	d := newDisplay(&b, true)
	a, c := &Episode{Slug: "a"}, &Episode{Slug: "c"}
	d.Update(Progress{Kind: Started, Episode: c, Count: 2})
	d.Update(Progress{Kind: Started, Episode: a, Count: 2})
	d.Update(Progress{Kind: Measuring, Episode: c, Count: 2})
	d.Update(Progress{Kind: Rendered, Episode: a, Count: 2, Duration: time.Second})
	d.Finish()
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

func TestURLs(t *testing.T) {
	if got := URLs(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}); len(got) != 1 || got[0] != "http://127.0.0.1:8080/" {
		t.Errorf("loopback: %q", got)
	}
	for _, u := range URLs(&net.TCPAddr{IP: net.IPv4zero, Port: 80}) {
		if !strings.HasPrefix(u, "http://") || !strings.HasSuffix(u, ":80/") || strings.Contains(u, "0.0.0.0") {
			t.Errorf("unspecified address: %q", u)
		}
	}
}

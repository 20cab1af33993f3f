package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

// TestPageWithNothingInstalled: a routine of one's own, whose lines the
// embedded voice lacks, makes a page with no program on the PATH (the
// built-in engine speaks it), and the folder holds what the page needs.
func TestPageWithNothingInstalled(t *testing.T) {
	dir := emptyCache(t)
	t.Setenv("PATH", t.TempDir())
	r := testtool.WriteFile(t, filepath.Join(dir, "my.yaml"), "title: Neck care\nintro:\n  - Sit tall and relax your shoulders.\n"+
		"exercises:\n  - name: Neck turn\n    sides: alternate\n    reps: 2\n    steps:\n      - Turn your head to the {side}.\n      - hold: 3s\n")
	out := filepath.Join(dir, "out")
	_, errs, code := run(t, "page", r, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var names []string
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"cues.json", "index.html", "my.mp3", "my.pdf", "sw.js"}
	if !slices.Equal(names, want) {
		t.Fatalf("the folder holds %v, want %v\n%s", names, want, errs)
	}
	var f struct {
		Title    string `json:"title"`
		Seconds  float64
		Chapters []struct{ Title string }
		Spans    []struct {
			Place struct{ Name, Side string }
		}
	}
	data, _ := os.ReadFile(filepath.Join(out, "cues.json"))
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var sides []string
	for _, s := range f.Spans {
		if s.Place.Name == "Neck turn" && s.Place.Side != "" && !slices.Contains(sides, s.Place.Side) {
			sides = append(sides, s.Place.Side)
		}
	}
	if f.Title != "Neck care" || f.Seconds <= 0 || !slices.Equal(sides, []string{"left", "right"}) {
		t.Errorf("cues.json: %q, %.2f s, sides %v", f.Title, f.Seconds, sides)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if m := regexp.MustCompile(`(src|href)="(https?:)?//[^"]*"`).FindString(string(page)); m != "" {
		t.Errorf("index.html loads %s from elsewhere", m)
	}
	for _, s := range []string{`src="my.mp3"`, `href="my.pdf"`, "<title>Neck care</title>"} {
		if !strings.Contains(string(page), s) {
			t.Errorf("index.html lacks %s", s)
		}
	}
}

func TestPageBadInput(t *testing.T) {
	dir := t.TempDir()
	file := testtool.WriteFile(t, filepath.Join(dir, "file"), "x")
	bad := testtool.WriteFile(t, filepath.Join(dir, "bad.yaml"), "title: Bad\nexercises: 3\n")
	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"no output", []string{"page", "lower-back"}, "-o DIR"},
		{"no routine", []string{"page", "-o", dir}, "ROUTINE"},
		{"output is a file", []string{"page", "lower-back", "-o", file}, "is a file"},
		{"no parent", []string{"page", "lower-back", "-o", filepath.Join(dir, "a", "b")}, "does not exist"},
		{"bad paper", []string{"page", "lower-back", "-o", dir, "--paper", "a5"}, "a5"},
		{"bad routine", []string{"page", bad, "-o", filepath.Join(dir, "new")}, "bad.yaml"},
		{"out of reach", []string{"page", "lower-back", "--minutes", "5", "-o", filepath.Join(dir, "new")}, "out of reach"},
		{"serve no page", []string{"page", "serve", dir}, "holds no page"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs, code := run(t, c.args...)
			if code != 2 || !strings.Contains(errs, c.says) {
				t.Errorf("exit %d, want 2 saying %q:\n%s", code, c.says, errs)
			}
			if _, err := os.Stat(filepath.Join(dir, "new")); err == nil {
				t.Error("a failed page left its folder behind")
			}
		})
	}
}

// TestPageServe: 'page serve' serves the folder with the types a browser
// needs (a service worker is refused as anything but JavaScript) and byte
// ranges for the audio.
func TestPageServe(t *testing.T) {
	dir := t.TempDir()
	testtool.WriteFile(t, filepath.Join(dir, "index.html"), "<!doctype html><title>x</title>")
	testtool.WriteFile(t, filepath.Join(dir, "sw.js"), "self;")
	testtool.WriteFile(t, filepath.Join(dir, "a.mp3"), "0123456789")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var errb bytes.Buffer
	go func() {
		done <- runPageServe(ctx, &Env{Stdout: io.Discard, Stderr: &errb}, pageServeOptions{Dir: dir, Addr: "127.0.0.1:0", listening: func(a string) { addr <- a }})
	}()
	base := "http://" + <-addr + "/"
	for _, c := range []struct{ path, rng, ctype, body string }{
		{"", "", "text/html; charset=utf-8", "<!doctype html><title>x</title>"},
		{"sw.js", "", "text/javascript; charset=utf-8", "self;"},
		{"a.mp3", "bytes=2-4", "audio/mpeg", "234"},
	} {
		req, _ := http.NewRequest(http.MethodGet, base+c.path, nil)
		if c.rng != "" {
			req.Header.Set("Range", c.rng)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Header.Get("Content-Type") != c.ctype || string(body) != c.body {
			t.Errorf("/%s: %s %q %q, want %q %q", c.path, res.Status, res.Header.Get("Content-Type"), body, c.ctype, c.body)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if !strings.Contains(errb.String(), base) {
		t.Errorf("serve did not say where: %q", errb.String())
	}
}

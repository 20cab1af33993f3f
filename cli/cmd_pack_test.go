package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"routinecast/pack/packtest"
)

// packFixture writes the pack package's tiny test pack into a fresh folder.
func packFixture(t *testing.T) string {
	t.Helper()
	return packtest.Write(t, t.TempDir())
}

func TestPackValidate(t *testing.T) {
	file := packFixture(t)
	if out, errs, code := run(t, "pack", "validate", file); code != 0 || out != "" || errs != "" {
		t.Errorf("valid pack: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	bad := filepath.Join(filepath.Dir(file), "bad.yaml")
	os.WriteFile(bad, []byte("title: x\ncolour: blue\n"), 0o644)
	_, errs, code := run(t, "pack", "validate", file, bad)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(errs, bad+`:2:1: pack: unknown field "colour"`) || !strings.Contains(errs, bad+`:1:1: missing required field "author"`) {
		t.Errorf("stderr:\n%s", errs)
	}
	if _, _, code := run(t, "pack", "validate"); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
}

// TestPackValidateMusic: a pack's music is a built-in bed by export's names;
// a name that is neither a bed nor a music file is bad input (exit 2) at its
// file:line:col, listing the beds.
func TestPackValidateMusic(t *testing.T) {
	file := packFixture(t)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(string(src), "episodes:\n", "music: ambient\nepisodes:\n", 1)
	os.WriteFile(file, []byte(good), 0o644)
	if out, errs, code := run(t, "pack", "validate", file); code != 0 || out != "" || errs != "" {
		t.Errorf("music: ambient: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	line := strings.Count(good[:strings.Index(good, "music: ambient")], "\n") + 1
	os.WriteFile(file, []byte(strings.Replace(good, "music: ambient", "music: rain", 1)), 0o644)
	_, errs, code := run(t, "pack", "validate", file)
	want := fmt.Sprintf("%s:%d:8: music: rain is neither a built-in bed (ambient, calm), none, nor an .mp3, .wav or .flac file", file, line)
	if code != 2 || !strings.Contains(errs, want) {
		t.Errorf("music: rain: exit %d, stderr:\n%s\nwant exit 2 and %q", code, errs, want)
	}
}

func TestPackNew(t *testing.T) {
	out, errs, code := run(t, "pack", "new")
	if code != 0 || errs != "" || !strings.Contains(out, "base_url:") || !strings.Contains(out, "episodes:") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
}

func TestPackBuildUsage(t *testing.T) {
	file := packFixture(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output folder", []string{"pack", "build", file}, "give the folder to build into with -o DIR"},
		{"no pack", []string{"pack", "build", "-o", t.TempDir()}, "expected one PACK.yaml"},
		{"missing pack", []string{"pack", "build", "nope.yaml", "-o", t.TempDir()}, "no such file"},
		{"negative jobs", []string{"pack", "build", file, "-o", t.TempDir(), "--jobs", "-1"}, "pack build: --jobs -1: give how many to do at once, 1 or more"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, tc.want)
			}
		})
	}
}

func TestPackBuildAndRebuild(t *testing.T) {
	file := packFixture(t)
	out := filepath.Join(t.TempDir(), "public")
	stdout, stderr, code := run(t, "pack", "build", file, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "2 episodes (2 rendered, 0 unchanged)") || !strings.Contains(stdout, "feed https://example.org/tiny/feed.xml") {
		t.Errorf("stdout: %s", stdout)
	}
	// Not a terminal: one line per episode, and no redrawn status line.
	for _, slug := range []string{"tiny-gentle", "tiny-full"} {
		if !regexp.MustCompile(`(?m)^rendered ` + slug + `\.mp3 \(\d+:\d\d, [\d.]+ MB\) in [\d.]+s \[[12]/2\]$`).MatchString(stderr) {
			t.Errorf("no progress line for %s in:\n%s", slug, stderr)
		}
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("terminal control characters in a log:\n%q", stderr)
	}
	for _, name := range []string{"feed.xml", "index.html", "tiny-gentle.mp3", "tiny-full.vtt", "tiny-full.chapters.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}

	stdout, stderr, code = run(t, "pack", "build", file, "-o", out)
	if code != 0 || !strings.Contains(stdout, "(0 rendered, 2 unchanged)") || strings.Count(stderr, "unchanged ") != 2 {
		t.Errorf("rebuild: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

func TestPackBuildRefusesForeignFolder(t *testing.T) {
	file := packFixture(t)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644)
	_, stderr, code := run(t, "pack", "build", file, "-o", out)
	if code != 1 || !strings.Contains(stderr, "refusing to replace it") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

func TestPackServe(t *testing.T) {
	file := packFixture(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, code := run(t, "pack", "build", file, "-o", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: io.Discard}
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- runPackServe(ctx, env, packServeOptions{Dir: out, Addr: "127.0.0.1:0", listening: func(a string) { addrc <- a }})
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	if want := "feed: http://" + addr + "/feed.xml"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout %q lacks %q", stdout.String(), want)
	}
	resp, err := http.Get("http://" + addr + "/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`url="http://`+addr+`/tiny-gentle.mp3"`)) {
		t.Errorf("feed: status %d\n%s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/tiny-gentle.mp3", nil)
	req.Header.Set("Range", "bytes=0-9")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || len(part) != 10 || string(part[:3]) != "ID3" {
		t.Errorf("range request: status %d, %q", resp.StatusCode, part)
	}

	// pack build again into the folder being served, with a new title: the
	// server answers with the new build.
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, bytes.Replace(src, []byte("title: Tiny test pack"), []byte("title: Tiny pack, rebuilt"), 1), 0o644)
	if _, stderr, code := run(t, "pack", "build", file, "-o", out); code != 0 {
		t.Fatalf("rebuild while serving: exit %d: %s", code, stderr)
	}
	for _, path := range []string{"/feed.xml", "/tiny-gentle.mp3", "/"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s after the rebuild: status %d", path, resp.StatusCode)
		}
		if path == "/feed.xml" && !bytes.Contains(body, []byte("Tiny pack, rebuilt")) {
			t.Errorf("feed.xml after the rebuild is not the new build's:\n%s", body)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after Ctrl-C", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestPackServeNotAPack(t *testing.T) {
	_, stderr, code := run(t, "pack", "serve", t.TempDir(), "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(stderr, "holds no built pack") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// TestServersRefuseABadAddress: every command that serves (a pack, a page,
// the studio) takes an address it cannot listen on as the user's mistake:
// exit 2, naming the address.
func TestServersRefuseABadAddress(t *testing.T) {
	packDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(packDir, ".routinecast-pack.json"), []byte(`{"format":2,"base_url":"http://127.0.0.1:8080/"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	pageDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(pageDir, "index.html"), []byte("<!doctype html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	routine := filepath.Join(t.TempDir(), "r.yaml")
	if err := os.WriteFile(routine, []byte(shoulderRoutine), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"pack", "serve", packDir},
		{"page", "serve", pageDir},
		{"studio", routine, "--voice", filepath.Join(t.TempDir(), "v")},
	} {
		for _, addr := range []string{"nonsense", "192.0.2.1:80"} {
			_, stderr, code := run(t, append(args, "--addr", addr)...)
			if code != 2 || !strings.Contains(stderr, "--addr "+addr) {
				t.Errorf("%v --addr %s: exit %d, stderr %s; want 2, naming the address", args, addr, code, stderr)
			}
		}
	}
}

// TestPackBuildWithoutVoice: episodes that name no voice, of a routine the
// embedded voice cannot speak, are voiced by the built-in engine with nothing
// installed; a rebuild renders no clip again.
func TestPackBuildWithoutVoice(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end and sequential: the full run covers it; -short is CI's race run")
	}
	file := packFixture(t)
	tmp := t.TempDir()
	t.Setenv("HOME", tmp)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Setenv("PATH", filepath.Join(tmp, "no-programs"))
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(src), "    voice: voice\n", "")), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "public")
	_, errs, code := run(t, "pack", "build", file, "-o", out)
	if code != 0 {
		t.Fatalf("pack build: exit %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "lines with the built-in voice") {
		t.Errorf("the build does not say the built-in engine spoke:\n%s", errs)
	}
	voices, err := os.ReadDir(filepath.Join(tmp, "cache", "routinecast", "voices", "builtin-rms"))
	if err != nil || len(voices) < 5 {
		t.Fatalf("the built-in engine's voice holds %d files (%v)", len(voices), err)
	}
	if _, errs, code := run(t, "pack", "build", file, "-o", out, "--force"); code != 0 || strings.Contains(errs, "lines with the built-in voice") {
		t.Errorf("rebuild: exit %d, rendered lines again:\n%s", code, errs)
	}
}

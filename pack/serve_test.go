package pack

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/internal/testtool"

	"github.com/mmcdole/gofeed"
)

// get fetches url with the headers given as name, value pairs.
func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return testtool.Fetch(t, nil, req)
}

func TestHandler(t *testing.T) {
	p, dir, _ := sharedBuild(t)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	mp3, err := os.ReadFile(filepath.Join(dir, "tiny-gentle.mp3"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("byte range", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/tiny-gentle.mp3", "Range", "bytes=100-199")
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, mp3[100:200]) {
			t.Errorf("status %d, %d bytes", resp.StatusCode, len(body))
		}
		want := fmt.Sprintf("bytes 100-199/%d", len(mp3))
		if got := resp.Header.Get("Content-Range"); got != want {
			t.Errorf("Content-Range %q, want %q", got, want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "audio/mpeg" {
			t.Errorf("Content-Type %q", ct)
		}
		if resp.Header.Get("Accept-Ranges") != "bytes" {
			t.Errorf("Accept-Ranges %q", resp.Header.Get("Accept-Ranges"))
		}
	})
	t.Run("last bytes", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/tiny-gentle.mp3", "Range", "bytes=-10")
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, mp3[len(mp3)-10:]) {
			t.Errorf("status %d, %d bytes", resp.StatusCode, len(body))
		}
	})
	t.Run("whole file", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/tiny-gentle.mp3")
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, mp3) {
			t.Errorf("status %d, %d bytes", resp.StatusCode, len(body))
		}
	})
	t.Run("page at the root", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/")
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("<audio")) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("transcript type", func(t *testing.T) {
		resp, _ := get(t, srv.URL+"/tiny-gentle.vtt")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/vtt") {
			t.Errorf("Content-Type %q", ct)
		}
	})
	t.Run("manifest hidden", func(t *testing.T) {
		for _, path := range []string{"/" + manifestName, "/x/../" + manifestName, "/%2E" + manifestName[1:]} {
			if resp, _ := get(t, srv.URL+path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: status %d", path, resp.StatusCode)
			}
		}
	})
	t.Run("no writes", func(t *testing.T) {
		resp, err := http.Post(srv.URL+"/feed.xml", "text/plain", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST: status %d", resp.StatusCode)
		}
	})
	t.Run("feed points here", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/feed.xml")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if bytes.Contains(body, []byte(p.BaseURL)) {
			t.Errorf("the served feed still names the published base URL %s", p.BaseURL)
		}
		f, err := gofeed.NewParser().ParseString(string(body))
		if err != nil {
			t.Fatal(err)
		}
		// Every enclosure of the served feed downloads from this server, whole.
		for _, it := range f.Items {
			enc := it.Enclosures[0]
			if !strings.HasPrefix(enc.URL, srv.URL+"/") {
				t.Errorf("enclosure %s is not on %s", enc.URL, srv.URL)
				continue
			}
			resp, body := get(t, enc.URL)
			if resp.StatusCode != http.StatusOK || fmt.Sprint(len(body)) != enc.Length {
				t.Errorf("%s: status %d, %d bytes, enclosure length %s", enc.URL, resp.StatusCode, len(body), enc.Length)
			}
		}
		onDisk, _ := os.ReadFile(filepath.Join(dir, "feed.xml"))
		if !bytes.Contains(onDisk, []byte(p.BaseURL)) {
			t.Error("serving changed feed.xml on disk")
		}
	})
}

func TestHandlerRefusesNonPack(t *testing.T) {
	if _, err := Handler(t.TempDir()); err == nil || !strings.Contains(err.Error(), "holds no built pack") {
		t.Errorf("error %v", err)
	}
}

// TestHandlerConfined serves a copy of a build with real links, a FIFO and
// a folder added: only regular files that resolve inside are served, links
// out of the folder are not followed, and nothing is listed.
func TestHandlerConfined(t *testing.T) {
	_, built, _ := sharedBuild(t)
	dir := t.TempDir()
	entries, err := os.ReadDir(built)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(built, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("secret"), 0o644)
	for link, target := range map[string]string{
		"passwd.mp3": "/etc/passwd", "secret.vtt": outside, "up": "..", "upfile.json": "../" + filepath.Base(dir) + "/feed.xml",
		"same.mp3": "tiny-gentle.mp3",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	testtool.Mkfifo(t, filepath.Join(dir, "pipe.mp3"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "a.txt"), []byte("a"), 0o644)

	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, path := range []string{"/passwd.mp3", "/secret.vtt", "/up/", "/up", "/up/etc/passwd", "/upfile.json", "/pipe.mp3", "/sub", "/sub/", "/%2e%2e/etc/passwd", "/../../etc/passwd"} {
		resp, body := get(t, srv.URL+path)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, %d bytes; want 404", path, resp.StatusCode, len(body))
		}
		if bytes.Contains(body, []byte("root:")) || bytes.Contains(body, []byte("secret")) || bytes.Contains(body, []byte("<a href")) {
			t.Errorf("%s: served %q", path, body)
		}
	}
	mp3, _ := os.ReadFile(filepath.Join(dir, "tiny-gentle.mp3"))
	for _, path := range []string{"/same.mp3", "/sub/a.txt", "/", "/index.html"} {
		resp, body := get(t, srv.URL+path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if path == "/same.mp3" && !bytes.Equal(body, mp3) {
			t.Errorf("a link inside the folder served %d bytes, want the %d of its target", len(body), len(mp3))
		}
	}
}

// TestHandlerAcrossRebuilds serves a build, builds the pack again into the
// same folder with a new title and base URL while the server runs, and
// fetches again: the server serves the new build (it does not hold on to the
// folder that the build replaced), with the new base URL pointed at itself.
func TestHandlerAcrossRebuilds(t *testing.T) {
	file, dir := copyOfSharedBuild(t)
	h, err := Handler(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	if resp, body := get(t, srv.URL+"/feed.xml"); resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Tiny test pack")) {
		t.Fatalf("before the rebuild: status %d\n%s", resp.StatusCode, body)
	}
	// Held open across the rebuild, as a podcast app downloading an episode.
	held, err := http.Get(srv.URL + "/tiny-gentle.mp3")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Body.Close()

	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("title: Tiny test pack"), []byte("title: Tiny pack, rebuilt"), 1)
	src = bytes.Replace(src, []byte("base_url: https://example.org/tiny"), []byte("base_url: https://example.net/moved"), 1)
	testtool.WriteFile(t, file, string(src))
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), p, dir, BuildOptions{Version: "test"}); err != nil {
		t.Fatal(err)
	}

	resp, body := get(t, srv.URL+"/feed.xml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("feed.xml after the rebuild: status %d", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte("Tiny pack, rebuilt")) {
		t.Errorf("the feed served after the rebuild is not the new one:\n%s", body)
	}
	if bytes.Contains(body, []byte("example.net/moved")) || bytes.Contains(body, []byte("example.org/tiny")) {
		t.Errorf("the served feed names a published base URL, not this server:\n%s", body)
	}
	f, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range f.Items {
		enc := it.Enclosures[0]
		resp, got := get(t, enc.URL)
		if !strings.HasPrefix(enc.URL, srv.URL+"/") || resp.StatusCode != http.StatusOK || fmt.Sprint(len(got)) != enc.Length {
			t.Errorf("%s after the rebuild: status %d, %d bytes, enclosure length %s", enc.URL, resp.StatusCode, len(got), enc.Length)
		}
	}
	for _, path := range []string{"/", "/tiny-full.vtt"} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != http.StatusOK {
			t.Errorf("%s after the rebuild: status %d", path, resp.StatusCode)
		}
	}
	// The download begun before the rebuild still gets its whole file.
	old, err := io.ReadAll(held.Body)
	if err != nil || held.StatusCode != http.StatusOK || fmt.Sprint(len(old)) != held.Header.Get("Content-Length") {
		t.Errorf("a download under way during the rebuild: status %d, %d bytes of %s, %v", held.StatusCode, len(old), held.Header.Get("Content-Length"), err)
	}
}

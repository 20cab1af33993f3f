package studio_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/chromium"
	"routinecast/studio"
)

// TestStudioCredentialStaysHomeInChromium opens the studio in headless
// Chromium, then has the same browser visit another HTTP server on another
// loopback port, as a page or a program there could make it do: that server
// must receive nothing that opens the studio, and what it does receive,
// replayed to the studio, is refused.
func TestStudioCredentialStaysHomeInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium")
	}
	testtool.Require(t, "chromium")
	dir := t.TempDir()
	routine := testtool.WriteFile(t, filepath.Join(dir, "my.yaml"), studio.TinyRoutine)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := startStudio(t, ctx, routine, "--no-browser")
	base, token, _ := strings.Cut(url, "/?token=")
	studioHost := strings.TrimPrefix(base, "http://")
	studioName, studioPort, _ := net.SplitHostPort(studioHost)

	// Another server on loopback keeps every request the browser sends it.
	var mu sync.Mutex
	var got []http.Header
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!doctype html><title>other</title><p>another server</p>")
	}))
	defer other.Close()
	_, otherPort, _ := net.SplitHostPort(other.Listener.Addr().String())

	b := chromium.Start(t)
	chromium.Do(t, b, "opening the printed URL", chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`body[data-ready="1"]`)))
	cookies := chromium.Run(t, b, "reading the browser's cookies", func(ctx context.Context, tg *chromedp.Target) ([]browserCookie, error) {
		var res struct {
			Cookies []browserCookie `json:"cookies"`
		}
		err := tg.Call(ctx, "Storage.getCookies", struct{}{}, &res)
		return res.Cookies, err
	})
	if len(cookies) != 1 {
		t.Fatalf("the browser holds %d cookies after opening the studio, want its login only: %+v", len(cookies), cookies)
	}
	login := cookies[0]
	if login.Domain != studioName || login.Value == token || strings.Contains(login.Value, token) {
		t.Errorf("the studio's cookie is set for %q with value %q; want the studio's host name only and a value that is not the token", login.Domain, login.Value)
	}

	for _, u := range []string{
		"http://127.0.0.1:" + otherPort + "/",
		"http://localhost:" + otherPort + "/api/state",
		"http://127.0.0.1:" + otherPort + "/api/routine",
	} {
		chromium.Do(t, b, "visiting "+u, chromedp.Navigate(u))
		if text := chromium.Eval[string](t, b, `document.body.textContent`); !strings.Contains(text, "another server") {
			t.Fatalf("%s shows %q", u, text)
		}
	}
	// The studio's own port, by number rather than by its name, opens nothing.
	chromium.Do(t, b, "visiting the studio's port by number", chromedp.Navigate("http://127.0.0.1:"+studioPort+"/"))
	if text := chromium.Eval[string](t, b, `document.body.textContent`); strings.Contains(text, "Tiny stretch") || !strings.Contains(text, "wrong host name") {
		t.Errorf("the studio's port by number shows %q", text)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) < 3 {
		t.Fatalf("the other server saw %d requests, want 3", len(got))
	}
	before, _ := os.ReadFile(routine)
	for i, h := range got {
		if c := h.Get("Cookie"); c != "" {
			t.Errorf("request %d to the other server carried Cookie: %s", i+1, c)
		}
		for k, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, login.Value) || strings.Contains(v, token) || strings.Contains(v, studioName) {
					t.Errorf("request %d to the other server carried the studio's login, token or name in %s: %s", i+1, k, v)
				}
			}
		}
		// Replayed to the studio, as the program behind that server would.
		put, _ := http.NewRequest("PUT", base+"/api/routine", strings.NewReader(studio.TinyRoutine+"# rewritten\n"))
		for k, vs := range h {
			put.Header[k] = vs
		}
		put.Header.Set("Origin", base)
		if resp, err := studio.LoopbackClient().Do(put); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("the headers of request %d replayed to the studio: %s, want 403", i+1, resp.Status)
			}
		}
	}
	if after, _ := os.ReadFile(routine); !bytes.Equal(before, after) {
		t.Error("the routine file changed")
	}
}

// browserCookie is a cookie as the DevTools protocol's Storage.getCookies
// lists it, the fields the test reads.
type browserCookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain"`
}

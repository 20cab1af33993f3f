package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/export"
	"routinecast/internal/testtool"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// TinyRoutine is the routine the studio's tests open, record and edit
// (exported for the tests in package studio_test, which drive the command).
const TinyRoutine = `title: Tiny stretch
language: en
intro:
  - Welcome to a short stretch.
exercises:
  - name: Neck roll
    setup:
      - Sit tall.
    reps: 2
    steps:
      - Roll your head slowly.
      - hold: 3s
  - name: Shoulder shrug
    setup:
      - Let your arms hang.
    steps:
      - Lift your shoulders, then let them drop.
      - breathe_out: 3s
`

// fixture is a studio on a test server, and a client holding its cookie.
type fixture struct {
	s       *Studio
	srv     *httptest.Server
	base    string // http://studio-RANDOM.localhost:PORT, as the printed URL has it
	c       *http.Client
	routine string
	voice   string
}

// LoopbackClient is an HTTP client with a cookie jar that reaches every
// *.localhost name at 127.0.0.1, as browsers do (Go's resolver asks DNS).
// It is exported for the tests in package studio_test.
func LoopbackClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	var d net.Dialer
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && strings.HasSuffix(strings.ToLower(host), ".localhost") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Jar: jar, Transport: tr}
}

func newFixture(t *testing.T, opt Options) *fixture {
	t.Helper()
	dir := t.TempDir()
	if opt.Routine == "" {
		opt.Routine = filepath.Join(dir, "tiny.yaml")
		testtool.WriteFile(t, opt.Routine, TinyRoutine)
	}
	if opt.Voice == "" {
		opt.Voice = filepath.Join(dir, "voice")
	}
	s, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	url := s.URL(srv.Listener.Addr())
	base, _, _ := strings.Cut(url, "/?token=")
	c := LoopbackClient()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("opening the printed URL: %s", resp.Status)
	}
	return &fixture{s: s, srv: srv, base: base, c: c, routine: opt.Routine, voice: opt.Voice}
}

// do sends a request as the studio's page would (same origin).
func (f *fixture) do(t *testing.T, method, path string, body []byte, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", f.base)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, b := testtool.Fetch(t, f.c, req)
	return resp.StatusCode, b
}

func (f *fixture) state(t *testing.T) state {
	t.Helper()
	code, b := f.do(t, "GET", "/api/state", nil, nil)
	if code != http.StatusOK {
		t.Fatalf("state: %d %s", code, b)
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	return st
}

func (f *fixture) key(t *testing.T, text string) string {
	t.Helper()
	for _, c := range f.state(t).Chapters {
		for _, l := range c.Lines {
			if l.Text == text {
				return l.Key
			}
		}
	}
	t.Fatalf("no line %q", text)
	return ""
}

// speechWAV is a voice-like sound (a buzzing 140 Hz tone whose loudness
// rises and falls like syllables) of the given length, between half a second
// of silence on each side, as 16-bit WAV at 48 kHz.
func speechWAV(t *testing.T, seconds, amp float64) []byte {
	t.Helper()
	return speechWAVPad(t, seconds, amp, 0.5)
}

func speechWAVPad(t *testing.T, seconds, amp, padSeconds float64) []byte {
	t.Helper()
	const sr = 48000
	var s [][2]float64
	pad := int(padSeconds * sr)
	s = append(s, make([][2]float64, pad)...)
	n := int(seconds * sr)
	for i := range n {
		x := float64(i) / sr
		env := 0.55 + 0.45*math.Sin(2*math.Pi*4*x)
		v := 0.0
		for h := 1; h <= 6; h++ {
			v += math.Sin(2*math.Pi*140*float64(h)*x) / float64(h)
		}
		v *= amp * env / 2
		s = append(s, [2]float64{v, v})
	}
	s = append(s, make([][2]float64, pad)...)
	return testtool.WAV(sr, 1, s)
}

// DecodeClip reads an audio file's samples at its own rate (exported for
// the tests in package studio_test).
func DecodeClip(t *testing.T, data []byte, name string) (*audio.Clip, beep.Format) {
	t.Helper()
	st, format, err := audio.Decode(nopCloser{bytes.NewReader(data)}, name)
	if err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	defer st.Close()
	c, err := audio.Load(st, format.SampleRate, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return c, format
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func TestStudioRefusesRequestsWithoutToken(t *testing.T) {
	f := newFixture(t, Options{})
	stranger := LoopbackClient()
	for _, path := range []string{"/", "/api/state", "/assets/app.js", "/api/routine", "/api/preview.wav"} {
		if code := get(t, stranger, f.base+path, nil); code != http.StatusForbidden {
			t.Errorf("GET %s without logging in: %d, want 403", path, code)
		}
	}
	if code := get(t, stranger, f.base+"/?token="+strings.Repeat("A", len(f.s.Token())), nil); code != http.StatusForbidden {
		t.Errorf("a wrong token: %d, want 403", code)
	}
	// With the cookie the first load set, the page and the API answer.
	if code, _ := f.do(t, "GET", "/api/state", nil, nil); code != http.StatusOK {
		t.Errorf("with the cookie: %d", code)
	}
	if code, b := f.do(t, "GET", "/", nil, nil); code != http.StatusOK || !bytes.Contains(b, []byte("routinecast studio")) {
		t.Errorf("the page with the cookie: %d", code)
	}
}

// get fetches url with c, without following redirects, and returns the
// status; hdr adds headers.
func get(t *testing.T, c *http.Client, url string, hdr http.Header) int {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestStudioLoginIsNotTheToken checks the login cookie and the host name:
// the cookie is a random value of its own, set for the studio's host name
// only, and requests by any other name (the loopback address another server
// shares) are refused even with the cookie.
func TestStudioLoginIsNotTheToken(t *testing.T) {
	f := newFixture(t, Options{})
	cookies := f.c.Jar.Cookies(mustURL(t, f.base+"/"))
	if len(cookies) != 1 {
		t.Fatalf("the client holds %d cookies for the studio, want 1", len(cookies))
	}
	login := cookies[0].Value
	if login == f.s.Token() || strings.Contains(login, f.s.Token()) {
		t.Fatalf("the cookie %q carries the token", login)
	}
	if !strings.HasPrefix(f.base, "http://studio-") || !strings.Contains(f.base, ".localhost:") {
		t.Fatalf("the printed URL is at %s, not a host name of the studio's own", f.base)
	}
	numeric := f.srv.URL // http://127.0.0.1:PORT
	withCookie := http.Header{"Cookie": {cookieName + "=" + login}}
	for _, path := range []string{"/", "/api/state", "/api/routine"} {
		if code := get(t, LoopbackClient(), numeric+path, withCookie); code != http.StatusMisdirectedRequest {
			t.Errorf("GET %s at 127.0.0.1 with the cookie: %d, want 421", path, code)
		}
		other := strings.Replace(f.base, "studio-", "studio-x", 1)
		if code := get(t, LoopbackClient(), other+path, withCookie); code != http.StatusMisdirectedRequest {
			t.Errorf("GET %s at another .localhost name with the cookie: %d, want 421", path, code)
		}
	}
	// The token itself as a cookie is no login.
	if code := get(t, LoopbackClient(), f.base+"/api/state", http.Header{"Cookie": {cookieName + "=" + f.s.Token()}}); code != http.StatusForbidden {
		t.Errorf("the token as the cookie: %d, want 403", code)
	}
	// The address typed by hand leads to the studio's name, where the
	// login happens; without the token it reveals nothing.
	req, _ := http.NewRequest("GET", numeric+"/?token="+f.s.Token(), nil)
	nc := LoopbackClient()
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusTemporaryRedirect || loc != f.base+"/?token="+f.s.Token() {
		t.Errorf("the token at 127.0.0.1: %s to %q, want a redirect to the studio's name", resp.Status, loc)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("a cookie set for 127.0.0.1: %v", resp.Cookies())
	}
	req, _ = http.NewRequest("GET", numeric+"/?token="+strings.Repeat("A", len(f.s.Token())), nil)
	resp, err = nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	host := strings.TrimPrefix(f.base, "http://")
	if resp.StatusCode != http.StatusMisdirectedRequest || strings.Contains(string(b), host) || strings.Contains(resp.Header.Get("Location"), host) {
		t.Errorf("a wrong token at 127.0.0.1: %s %q, want 421 not naming the studio's host", resp.Status, b)
	}
	// Following the redirect logs in, as a browser does.
	c := LoopbackClient()
	if code := get(t, c, numeric+"/?token="+f.s.Token(), nil); code != http.StatusTemporaryRedirect {
		t.Fatalf("the token at 127.0.0.1: %d", code)
	}
	resp, err = c.Get(numeric + "/?token=" + f.s.Token())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != host {
		t.Errorf("following the redirect: %s at %s", resp.Status, resp.Request.URL.Host)
	}
}

func mustURL(t *testing.T, s string) *neturl.URL {
	t.Helper()
	u, err := neturl.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestStudioRefusesCrossOriginWrites(t *testing.T) {
	f := newFixture(t, Options{})
	key := f.key(t, "Sit tall.")
	take := speechWAV(t, 1, 0.3)
	before, _ := os.ReadFile(f.routine)
	for name, hdr := range map[string]map[string]string{
		"other origin":     {"Origin": "http://evil.example"},
		"cross-site fetch": {"Sec-Fetch-Site": "cross-site"},
		"same-site fetch":  {"Sec-Fetch-Site": "same-site", "Origin": "http://evil.localhost"},
		"no origin at all": {"Origin": ""},
	} {
		if code, b := f.do(t, "POST", "/api/take/"+key, take, hdr); code != http.StatusForbidden {
			t.Errorf("%s: upload answered %d %s, want 403", name, code, b)
		}
		if code, _ := f.do(t, "PUT", "/api/routine", []byte(TinyRoutine+"\n# changed\n"), hdr); code != http.StatusForbidden {
			t.Errorf("%s: save answered %d, want 403", name, code)
		}
	}
	if st := f.state(t); st.Recorded != 0 {
		t.Errorf("%d lines recorded after refused uploads", st.Recorded)
	}
	if after, _ := os.ReadFile(f.routine); !bytes.Equal(before, after) {
		t.Error("the routine file changed after refused saves")
	}
	// The page's own fetch is taken.
	if code, b := f.do(t, "POST", "/api/take/"+key, take, map[string]string{"Sec-Fetch-Site": "same-origin"}); code != http.StatusOK {
		t.Errorf("same-origin upload: %d %s", code, b)
	}
}

func TestStudioRejectsBadUploads(t *testing.T) {
	f := newFixture(t, Options{})
	key := f.key(t, "Sit tall.")
	for name, tc := range map[string]struct {
		body []byte
		code int
	}{
		"not audio":    {[]byte("title: not audio at all\n"), http.StatusUnsupportedMediaType},
		"too big":      {make([]byte, maxUpload+1), http.StatusRequestEntityTooLarge},
		"too short":    {speechWAVPad(t, 0.1, 0.3, 0), http.StatusUnprocessableEntity},
		"only silence": {speechWAV(t, 1, 0), http.StatusUnprocessableEntity},
	} {
		code, b := f.do(t, "POST", "/api/take/"+key, tc.body, nil)
		if code != tc.code {
			t.Errorf("%s: %d %s, want %d", name, code, b, tc.code)
		}
		if !bytes.Contains(b, []byte(`"error":"studio: `)) {
			t.Errorf("%s: the answer %s gives no reason", name, b)
		}
		// The scratch folders are the studio's business, not the person's.
		if bytes.Contains(b, []byte(os.TempDir())) || bytes.Contains(b, []byte("take-")) || bytes.Contains(b, []byte(".wav")) {
			t.Errorf("%s: the answer %s names an internal file", name, b)
		}
		t.Logf("%s: %s", name, b)
	}
	if code, _ := f.do(t, "POST", "/api/take/0123456789abcdef", speechWAV(t, 1, 0.3), nil); code != http.StatusNotFound {
		t.Errorf("a key no line has: %d, want 404", code)
	}
	if code, _ := f.do(t, "POST", "/api/take/..%2Fvoice.yaml", speechWAV(t, 1, 0.3), nil); code != http.StatusNotFound {
		t.Errorf("a path as key: %d, want 404", code)
	}
	entries, _ := os.ReadDir(f.voice)
	for _, e := range entries {
		if e.Name() != narration.ManifestFile {
			t.Errorf("%s left in the voice folder after refused uploads", e.Name())
		}
	}
}

func TestStudioStoresTakeAndUndoes(t *testing.T) {
	f := newFixture(t, Options{})
	text := "Roll your head slowly."
	key := f.key(t, text)
	first := speechWAV(t, 1.5, 0.05)
	code, b := f.do(t, "POST", "/api/take/"+key, first, nil)
	if code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, b)
	}
	var res takeResult
	json.Unmarshal(b, &res)
	if res.Line.State != stateRecorded || res.Left != f.state(t).Total-1 {
		t.Errorf("after one take: %+v", res)
	}
	v, err := narration.Open(f.voice)
	if err != nil {
		t.Fatal(err)
	}
	name, ok := v.ClipFile(text)
	if !ok || name != v.FileName(text) {
		t.Fatalf("the clip is %q (%v), want %q, the name voice import gives", name, ok, v.FileName(text))
	}
	firstClip, _ := os.ReadFile(filepath.Join(f.voice, name))
	c, format := DecodeClip(t, firstClip, name)
	// Trimmed: the second of silence around the sound is gone, save margins.
	if d := c.Duration().Seconds(); d < 1.45 || d > 1.8 {
		t.Errorf("stored take is %.3f s; the sound was 1.5 s between 1 s of silence", d)
	}
	m, err := loudness.Measure(c.Streamer(), int(format.SampleRate), 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.Integrated-narration.DefaultLoudness) > 0.5 {
		t.Errorf("stored take at %.2f LUFS, want the voice's %.0f", m.Integrated, narration.DefaultLoudness)
	}
	if code, b := f.do(t, "GET", "/api/take/"+key, nil, nil); code != http.StatusOK || !bytes.Equal(b, firstClip) {
		t.Errorf("playing the take back: %d, %d bytes", code, len(b))
	}

	// A second take replaces it and keeps the first for undo.
	if code, b := f.do(t, "POST", "/api/take/"+key, speechWAV(t, 0.8, 0.5), nil); code != http.StatusOK {
		t.Fatalf("second upload: %d %s", code, b)
	}
	second, _ := os.ReadFile(filepath.Join(f.voice, name))
	if bytes.Equal(second, firstClip) {
		t.Fatal("the second take did not replace the first")
	}
	if code, b := f.do(t, "POST", "/api/undo/"+key, nil, nil); code != http.StatusOK {
		t.Fatalf("undo: %d %s", code, b)
	}
	if got, _ := os.ReadFile(filepath.Join(f.voice, name)); !bytes.Equal(got, firstClip) {
		t.Error("undo did not bring the first take back")
	}
	// Undo again swaps back.
	f.do(t, "POST", "/api/undo/"+key, nil, nil)
	if got, _ := os.ReadFile(filepath.Join(f.voice, name)); !bytes.Equal(got, second) {
		t.Error("a second undo did not bring the second take back")
	}
	if v, err = narration.Open(f.voice); err != nil || v.Len() != 1 {
		t.Errorf("the voice holds %d clips (%v), want 1", v.Len(), err)
	}
	other := f.key(t, "Sit tall.")
	if code, _ := f.do(t, "POST", "/api/undo/"+other, nil, nil); code != http.StatusConflict {
		t.Errorf("undo of a line with one take: %d, want 409", code)
	}
}

func TestStudioChecksAndSavesRoutine(t *testing.T) {
	f := newFixture(t, Options{})
	bad := strings.Replace(TinyRoutine, "reps: 2", "reps: lots", 1)
	code, b := f.do(t, "POST", "/api/check", []byte(bad), nil)
	var res checkResult
	if err := json.Unmarshal(b, &res); err != nil || code != http.StatusOK {
		t.Fatalf("check: %d %s", code, b)
	}
	if res.OK || len(res.Problems) != 1 || res.Problems[0].Line != 9 || res.Problems[0].Col != 11 {
		t.Fatalf("check of reps: lots: %+v, want one problem at 9:11", res.Problems)
	}
	if !strings.Contains(res.Problems[0].Text, "tiny.yaml:9:11: ") {
		t.Errorf("problem text %q lacks file:line:col", res.Problems[0].Text)
	}
	if code, _ := f.do(t, "PUT", "/api/routine", []byte(bad), nil); code != http.StatusUnprocessableEntity {
		t.Errorf("saving a routine with a mistake: %d, want 422", code)
	}
	if got, _ := os.ReadFile(f.routine); string(got) != TinyRoutine {
		t.Error("a routine with a mistake was saved")
	}

	good := strings.Replace(TinyRoutine, "Sit tall.", "Sit up tall.", 1)
	code, b = f.do(t, "POST", "/api/check?level=gentle", []byte(good), nil)
	json.Unmarshal(b, &res)
	if !res.OK || res.Timeline == nil || !res.Timeline.Estimated || res.Timeline.Level != "gentle" {
		t.Fatalf("check of a good routine: %d %s", code, b)
	}
	found := false
	for _, c := range res.Timeline.Cues {
		found = found || c.Text == "Sit up tall."
	}
	if !found {
		t.Error("the timeline of the draft lacks its new line")
	}
	if code, b := f.do(t, "PUT", "/api/routine", []byte(good), nil); code != http.StatusOK {
		t.Fatalf("save: %d %s", code, b)
	}
	if got, _ := os.ReadFile(f.routine); string(got) != good {
		t.Error("the routine file does not hold the saved text")
	}
	f.key(t, "Sit up tall.") // the lines follow the saved routine
	entries, _ := os.ReadDir(filepath.Dir(f.routine))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("%s left beside the routine", e.Name())
		}
	}
}

func TestStudioBuiltinRoutineIsReadOnly(t *testing.T) {
	f := newFixture(t, Options{Routine: "lower-back"})
	st := f.state(t)
	if !st.ReadOnly || st.Total < 50 {
		t.Fatalf("lower-back: read only %v, %d lines", st.ReadOnly, st.Total)
	}
	src, _ := os.ReadFile("../routines/builtin/lower-back.yaml")
	if code, _ := f.do(t, "PUT", "/api/routine", src, nil); code != http.StatusConflict {
		t.Errorf("saving a built-in routine: %d, want 409", code)
	}
	if _, err := os.Stat("lower-back"); err == nil {
		t.Error("a file named lower-back was written")
	}
}

// recordAll gives every line of the tiny routine a take, through the
// studio's upload, and returns the number of lines.
func recordAll(t *testing.T, f *fixture) int {
	t.Helper()
	st := f.state(t)
	i := 0
	for _, c := range st.Chapters {
		for _, l := range c.Lines {
			i++
			if code, b := f.do(t, "POST", "/api/take/"+l.Key, speechWAV(t, 0.4+0.05*float64(i%5), 0.3), nil); code != http.StatusOK {
				t.Fatalf("recording %q: %d %s", l.Text, code, b)
			}
		}
	}
	return i
}

func TestStudioPreviewStreamsWithRanges(t *testing.T) {
	f := newFixture(t, Options{})
	code, b := f.do(t, "GET", "/api/preview.wav", nil, nil)
	if code != http.StatusConflict || !bytes.Contains(b, []byte("not recorded yet")) {
		t.Errorf("preview with lines missing: %d %s, want 409 saying so", code, b)
	}
	recordAll(t, f)
	code, full := f.do(t, "GET", "/api/preview.wav", nil, nil)
	if code != http.StatusOK {
		t.Fatalf("preview: %d %s", code, full)
	}
	c, format := DecodeClip(t, full, "preview.wav")
	code, b = f.do(t, "GET", "/api/timeline", nil, nil)
	var tv timelineView
	if err := json.Unmarshal(b, &tv); err != nil || code != http.StatusOK || tv.Estimated {
		t.Fatalf("timeline: %d %s", code, b)
	}
	if d := c.Duration().Seconds(); math.Abs(d-tv.TotalSeconds) > 0.001 {
		t.Errorf("preview is %.3f s, the timeline %.3f s", d, tv.TotalSeconds)
	}
	if format.SampleRate != 44100 {
		t.Errorf("preview at %d Hz", format.SampleRate)
	}
	var peak float64
	for _, s := range c.Samples {
		peak = max(peak, math.Abs(s[0]))
	}
	if peak < 0.05 {
		t.Errorf("preview peak %.3f: silent", peak)
	}
	// Ranges anywhere (rendered after a seek) match the whole file's bytes.
	for _, r := range [][2]int{{0, 99}, {44, 1000}, {len(full) / 2, len(full)/2 + 8191}, {len(full)/3 + 1, len(full)/3 + 5000}, {len(full) - 10, len(full) - 1}} {
		code, part := f.do(t, "GET", "/api/preview.wav", nil, map[string]string{"Range": "bytes=" + itoa(r[0]) + "-" + itoa(r[1])})
		if code != http.StatusPartialContent || !bytes.Equal(part, full[r[0]:r[1]+1]) {
			t.Errorf("range %d-%d: %d, %d bytes, differs from the whole file", r[0], r[1], code, len(part))
		}
	}

	code, mp3 := f.do(t, "GET", "/api/download.mp3?level=full", nil, nil)
	if code != http.StatusOK || len(mp3) < 1000 {
		t.Fatalf("download: %d %d bytes", code, len(mp3))
	}
	m, _ := DecodeClip(t, mp3, "download.mp3")
	json.Unmarshal(func() []byte { _, b := f.do(t, "GET", "/api/timeline?level=full", nil, nil); return b }(), &tv)
	if d := m.Duration().Seconds(); math.Abs(d-tv.TotalSeconds) > 0.06 {
		t.Errorf("MP3 is %.3f s, the full level's timeline %.3f s", d, tv.TotalSeconds)
	}
	if code, _ := f.do(t, "GET", "/api/preview.wav?level=extreme", nil, nil); code != http.StatusBadRequest {
		t.Errorf("an unknown level: %d, want 400", code)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestStudioDownloadName(t *testing.T) {
	for in, want := range map[string]string{"my.yaml": "my-gentle.mp3", "/a/b/Back Care.yml": "BackCare-gentle.mp3", "lower-back": "lower-back-gentle.mp3", "ü.yaml": "routine-gentle.mp3"} {
		if got := downloadName(in, "gentle"); got != want {
			t.Errorf("downloadName(%q) = %q, want %q", in, got, want)
		}
	}
}

// routineVersion is the version of the routine file the page loads.
func (f *fixture) routineVersion(t *testing.T) (string, string) {
	t.Helper()
	code, b := f.do(t, "GET", "/api/routine", nil, nil)
	var rt routineText
	if err := json.Unmarshal(b, &rt); err != nil || code != http.StatusOK || rt.Version == "" {
		t.Fatalf("GET /api/routine: %d %s", code, b)
	}
	return rt.Text, rt.Version
}

func TestStudioSaveRefusesChangeOnDisk(t *testing.T) {
	f := newFixture(t, Options{})
	_, loaded := f.routineVersion(t)
	mine := strings.Replace(TinyRoutine, "Sit tall.", "Sit up tall.", 1)
	theirs := strings.Replace(TinyRoutine, "reps: 2", "reps: 3", 1)
	testtool.WriteFile(t, f.routine, theirs) // another editor, meanwhile

	for name, hdr := range map[string]map[string]string{
		"based on what the page loaded":   {"If-Match": loaded},
		"based on what the studio loaded": nil,
	} {
		code, b := f.do(t, "PUT", "/api/routine", []byte(mine), hdr)
		var res conflictResult
		json.Unmarshal(b, &res)
		if code != http.StatusConflict || !res.Conflict || !strings.Contains(res.Error, "changed on disk") || res.Version == "" {
			t.Errorf("%s: a save over a file changed on disk answered %d %s, want 409 saying so", name, code, b)
		}
		if got, _ := os.ReadFile(f.routine); string(got) != theirs {
			t.Fatalf("%s: the edit made on disk was lost; the file holds:\n%s", name, got)
		}
	}
	// Overwriting deliberately names the version on disk.
	_, b := f.do(t, "PUT", "/api/routine", []byte(mine), map[string]string{"If-Match": loaded})
	var res conflictResult
	json.Unmarshal(b, &res)
	code, b := f.do(t, "PUT", "/api/routine", []byte(mine), map[string]string{"If-Match": res.Version})
	if code != http.StatusOK {
		t.Fatalf("overwriting the version on disk: %d %s", code, b)
	}
	if got, _ := os.ReadFile(f.routine); string(got) != mine {
		t.Errorf("after overwriting, the file holds:\n%s", got)
	}
	f.key(t, "Sit up tall.")

	// Reloading reads the file on disk; a save based on it is taken.
	testtool.WriteFile(t, f.routine, theirs)
	text, v := f.routineVersion(t)
	if text != theirs {
		t.Errorf("reloading shows:\n%s", text)
	}
	f.key(t, "Sit tall.") // the lines follow the file read again
	if code, b := f.do(t, "PUT", "/api/routine", []byte(mine), map[string]string{"If-Match": v}); code != http.StatusOK {
		t.Errorf("a save based on the reloaded file: %d %s", code, b)
	}

	// A file removed meanwhile is not written anew unless asked.
	_, v = f.routineVersion(t)
	os.Remove(f.routine)
	code, b = f.do(t, "PUT", "/api/routine", []byte(mine), map[string]string{"If-Match": v})
	json.Unmarshal(b, &res)
	if code != http.StatusConflict || !res.Removed {
		t.Errorf("a save over a removed file: %d %s, want 409", code, b)
	}
	if _, err := os.Stat(f.routine); err == nil {
		t.Error("the removed file was written anew without asking")
	}
	if code, b := f.do(t, "PUT", "/api/routine", []byte(mine), map[string]string{"If-Match": res.Version}); code != http.StatusOK {
		t.Errorf("writing the removed file anew: %d %s", code, b)
	}
	if got, _ := os.ReadFile(f.routine); string(got) != mine {
		t.Errorf("the file written anew holds:\n%s", got)
	}
}

func TestStudioSaveKeepsLinkAndMode(t *testing.T) {
	for _, link := range []bool{false, true} {
		dir := t.TempDir()
		real := filepath.Join(dir, "routines", "tiny.yaml")
		os.Mkdir(filepath.Dir(real), 0o755)
		testtool.WriteFile(t, real, TinyRoutine)
		if err := os.Chmod(real, 0o600); err != nil {
			t.Fatal(err)
		}
		opened := real
		if link {
			opened = filepath.Join(dir, "my.yaml")
			if err := os.Symlink(filepath.Join("routines", "tiny.yaml"), opened); err != nil {
				t.Fatal(err)
			}
		}
		f := newFixture(t, Options{Routine: opened, Voice: filepath.Join(dir, "voice")})
		mine := strings.Replace(TinyRoutine, "Sit tall.", "Sit up tall.", 1)
		if code, b := f.do(t, "PUT", "/api/routine", []byte(mine), nil); code != http.StatusOK {
			t.Fatalf("link %v: save: %d %s", link, code, b)
		}
		if got, _ := os.ReadFile(real); string(got) != mine {
			t.Errorf("link %v: the real file holds:\n%s", link, got)
		}
		info, err := os.Lstat(opened)
		if err != nil {
			t.Fatal(err)
		}
		if link {
			if info.Mode()&os.ModeSymlink == 0 {
				t.Errorf("the link became a %v", info.Mode())
			} else if to, _ := os.Readlink(opened); to != filepath.Join("routines", "tiny.yaml") {
				t.Errorf("the link points to %q", to)
			}
			if info, err = os.Stat(real); err != nil {
				t.Fatal(err)
			}
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("link %v: the routine is %v after the save, was -rw-------", link, info.Mode().Perm())
		}
		for _, d := range []string{dir, filepath.Dir(real)} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp") {
					t.Errorf("%s left in %s", e.Name(), d)
				}
			}
		}
		// A second save, based on the first, is taken too.
		if code, b := f.do(t, "PUT", "/api/routine", []byte(TinyRoutine), nil); code != http.StatusOK {
			t.Errorf("link %v: a second save: %d %s", link, code, b)
		}
	}
}

func TestStudioTakeKeepsMode(t *testing.T) {
	f := newFixture(t, Options{})
	text := "Roll your head slowly."
	key := f.key(t, text)
	if code, b := f.do(t, "POST", "/api/take/"+key, speechWAV(t, 1, 0.3), nil); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, b)
	}
	v, err := narration.Open(f.voice)
	if err != nil {
		t.Fatal(err)
	}
	clip := filepath.Join(f.voice, v.FileName(text))
	first, _ := os.ReadFile(clip)
	if err := os.Chmod(clip, 0o600); err != nil {
		t.Fatal(err)
	}
	mode := func() os.FileMode {
		info, err := os.Lstat(clip)
		if err != nil {
			t.Fatal(err)
		}
		return info.Mode()
	}
	if code, b := f.do(t, "POST", "/api/take/"+key, speechWAV(t, 0.7, 0.5), nil); code != http.StatusOK {
		t.Fatalf("second upload: %d %s", code, b)
	}
	second, _ := os.ReadFile(clip)
	if bytes.Equal(first, second) {
		t.Fatal("the second take did not replace the first")
	}
	if m := mode(); m != 0o600 {
		t.Errorf("the clip is %v after a new take, was -rw-------", m)
	}
	if code, b := f.do(t, "POST", "/api/undo/"+key, nil, nil); code != http.StatusOK {
		t.Fatalf("undo: %d %s", code, b)
	}
	if got, _ := os.ReadFile(clip); !bytes.Equal(got, first) {
		t.Error("undo did not bring the first take back")
	}
	if m := mode(); m != 0o600 {
		t.Errorf("the clip is %v after undo, was -rw-------", m)
	}
	entries, _ := os.ReadDir(filepath.Join(f.voice, undoFolder))
	if len(entries) != 1 {
		t.Errorf("the undo folder holds %d files, want the one kept take", len(entries))
	}

	// A link at a clip's name is no clip (a voice reads regular files only):
	// a take replaces the link and leaves the file it named alone.
	other := f.key(t, "Sit tall.")
	outside := testtool.WriteFile(t, filepath.Join(t.TempDir(), "shared.flac"), "not a clip of this voice")
	link := filepath.Join(f.voice, v.FileName("Sit tall."))
	if err := os.Symlink(outside, link); err != nil {
		t.Fatal(err)
	}
	if code, b := f.do(t, "POST", "/api/take/"+other, speechWAV(t, 1, 0.3), nil); code != http.StatusOK {
		t.Fatalf("upload over a link: %d %s", code, b)
	}
	if got, _ := os.ReadFile(outside); string(got) != "not a clip of this voice" {
		t.Error("the take was written into the file a link in the voice folder named")
	}
	if info, err := os.Lstat(link); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the clip over the link: %v %v", info, err)
	}
	for _, c := range f.state(t).Chapters {
		for _, l := range c.Lines {
			if l.Key == other && l.State != stateRecorded {
				t.Errorf("%q is %s after its take", l.Text, l.State)
			}
		}
	}
}

// TestStudioDownloadCountsMissingOnce asks for the download with lines not
// recorded: the refusal gives one count, that of the level asked for, as
// export would count it with the same voice.
func TestStudioDownloadCountsMissingOnce(t *testing.T) {
	f := newFixture(t, Options{})
	if code, b := f.do(t, "POST", "/api/take/"+f.key(t, "Roll your head slowly."), speechWAV(t, 1, 0.3), nil); code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, b)
	}
	rt, err := routines.Parse("tiny.yaml", []byte(TinyRoutine))
	if err != nil {
		t.Fatal(err)
	}
	number := regexp.MustCompile(`\d+`)
	for _, level := range []routines.Level{routines.Gentle, routines.Full} {
		_, err := job.Compile(job.Options{Routine: rt, Level: level, Voice: f.voice})
		var missing *job.MissingClipsError
		if !errors.As(err, &missing) {
			t.Fatalf("%s: export's compile says %v, want lines missing", level, err)
		}
		code, b := f.do(t, "GET", "/api/download.mp3?level="+string(level), nil, nil)
		var res apiError
		json.Unmarshal(b, &res)
		counts := number.FindAllString(res.Error, -1)
		if code != http.StatusConflict || len(counts) != 1 || counts[0] != strconv.Itoa(len(missing.Lines)) {
			t.Errorf("%s: %d %q; want 409 with one count, %d", level, code, res.Error, len(missing.Lines))
		}
	}
}

// TestStudioPreviewWithBed: the state offers export's beds; a preview and a
// download with music=calm carry the bed (stereo, sound where the session
// without music is silent); music=none is no music; a name that is no bed
// is refused with 400, naming the beds.
func TestStudioPreviewWithBed(t *testing.T) {
	f := newFixture(t, Options{})
	if got := f.state(t).Beds; strings.Join(got, ",") != strings.Join(mixer.BedNames(), ",") || len(got) == 0 {
		t.Errorf("state offers beds %v, export takes %v", got, mixer.BedNames())
	}
	recordAll(t, f)
	get := func(path string) []byte {
		t.Helper()
		code, b := f.do(t, "GET", path, nil, nil)
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, code, b)
		}
		return b
	}
	plain, _ := DecodeClip(t, get("/api/preview.wav?music=none"), "preview.wav")
	bed, format := DecodeClip(t, get("/api/preview.wav?music=calm"), "preview.wav")
	if format.NumChannels != 2 || len(bed.Samples) != len(plain.Samples) {
		t.Fatalf("with calm: %d channels, %d samples; without %d samples", format.NumChannels, len(bed.Samples), len(plain.Samples))
	}
	// Where the session without music is silent (the tail of a hold
	// before its beeps, the gaps between lines), the bed sounds.
	var under float64
	n := 0
	for i, s := range plain.Samples {
		if s[0] == 0 && s[1] == 0 {
			under += bed.Samples[i][0]*bed.Samples[i][0] + bed.Samples[i][1]*bed.Samples[i][1]
			n++
		}
	}
	if n < int(format.SampleRate) {
		t.Fatalf("only %d silent samples in the session without music", n)
	}
	db := 10 * math.Log10(under/float64(2*n)+1e-20)
	t.Logf("calm where the plain preview is silent (%.1f s): %.1f dBFS", float64(n)/float64(format.SampleRate), db)
	if db < -60 {
		t.Errorf("the preview with calm is %.1f dBFS where the plain one is silent: no bed", db)
	}
	m, mf := DecodeClip(t, get("/api/download.mp3?level=gentle&music=ambient"), "download.mp3")
	if mf.NumChannels != 2 || m.Duration() < plain.Duration()/2 {
		t.Errorf("download with ambient: %d channels, %v", mf.NumChannels, m.Duration())
	}
	for _, path := range []string{"/api/preview.wav?music=rain", "/api/download.mp3?music=../x.mp3"} {
		code, b := f.do(t, "GET", path, nil, nil)
		if code != http.StatusBadRequest || !bytes.Contains(b, []byte("calm")) || !bytes.Contains(b, []byte("ambient")) {
			t.Errorf("%s: %d %s, want 400 naming the beds", path, code, b)
		}
	}
}

// TestStudioAudioLimitsAsExport: the download takes a sample rate and a
// loudness target, and accepts and refuses the values export and packs do,
// for the same reason in the same words.
func TestStudioAudioLimitsAsExport(t *testing.T) {
	f := newFixture(t, Options{})
	recordAll(t, f)
	for _, tc := range []struct {
		param, value string
		err          error
	}{
		{"sample_rate", "8000", export.CheckMP3SampleRate(8000)},
		{"sample_rate", "48000", nil},
		{"sample_rate", "96000", export.CheckMP3SampleRate(96000)},
		{"sample_rate", "192000", export.CheckMP3SampleRate(192000)},
		{"sample_rate", "400000", export.CheckMP3SampleRate(400000)},
		{"loudness", "-45", mixer.CheckLoudness(-45)},
		{"loudness", "-40", nil},
		{"loudness", "-5", nil},
		{"loudness", "0", mixer.CheckLoudness(0)},
	} {
		code, b := f.do(t, "GET", "/api/download.mp3?level=gentle&"+tc.param+"="+tc.value, nil, nil)
		if tc.err == nil {
			// Accepted: the fixture's quiet takes may still not reach
			// -5 LUFS within export's measured range (a 500, as export
			// fails), but the value is not refused.
			if code == http.StatusBadRequest {
				t.Errorf("%s=%s: %d %s, want it accepted", tc.param, tc.value, code, b)
			}
			if code != http.StatusOK {
				continue
			}
			if _, format := DecodeClip(t, b, "download.mp3"); tc.param == "sample_rate" && fmt.Sprint(int(format.SampleRate)) != tc.value {
				t.Errorf("%s=%s: the MP3 is at %d Hz", tc.param, tc.value, format.SampleRate)
			}
			continue
		}
		if want := tc.param + ": " + tc.err.Error(); code != http.StatusBadRequest || !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s=%s: %d %s, want 400 saying %q", tc.param, tc.value, code, b, want)
		}
	}
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/internal/pulsetest"
	"routinecast/internal/testtool"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// fakeTransport is a player without sound: it records what the session asks.
type fakeTransport struct {
	pos    int
	paused bool
	volume float64
	seeks  []int
	done   chan struct{}
}

func newFake() *fakeTransport { return &fakeTransport{volume: 1, done: make(chan struct{})} }

func (f *fakeTransport) Play()         { f.paused = false }
func (f *fakeTransport) Pause()        { f.paused = true }
func (f *fakeTransport) Paused() bool  { return f.paused }
func (f *fakeTransport) Position() int { return f.pos }
func (f *fakeTransport) Seek(p int) error {
	f.pos = p
	f.seeks = append(f.seeks, p)
	return nil
}
func (f *fakeTransport) SetVolume(v float64)   { f.volume = max(0, min(v, 1)) }
func (f *fakeTransport) Volume() float64       { return f.volume }
func (f *fakeTransport) Done() <-chan struct{} { return f.done }
func (f *fakeTransport) Err() error            { return nil }

// testTimeline is 60 s at 1000 Hz with three chapters, a hold and two lines.
func testTimeline() *mixer.Timeline {
	return &mixer.Timeline{
		Title:      "Test",
		SampleRate: beep.SampleRate(1000),
		Length:     60000,
		Chapters: []mixer.Chapter{
			{Title: "Intro", Start: 500},
			{Title: "Knee hug", Start: 10000},
			{Title: "Closing", Start: 50000},
		},
		Events: []mixer.Event{
			{Kind: mixer.Speech, Start: 500, End: 3000, Text: "Welcome."},
			{Kind: mixer.Speech, Start: 10000, End: 12000, Text: "Hug your knees."},
			{Kind: mixer.Hold, Start: 12000, End: 42000},
			{Kind: mixer.Beep, Start: 39000, End: 39100},
			{Kind: mixer.Speech, Start: 50000, End: 52000, Text: "Well done."},
		},
	}
}

func TestPlayKeyParser(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []playKey
	}{
		{"letters", " npq", []playKey{playKeyPause, playKeyNext, playKeyPrev, playKeyQuit}},
		{"capitals", "NPQ", []playKey{playKeyNext, playKeyPrev, playKeyQuit}},
		{"volume", "+=-_", []playKey{playKeyLouder, playKeyLouder, playKeySofter, playKeySofter}},
		{"arrows", "\x1b[C\x1b[D\x1b[A\x1b[B", []playKey{playKeyNext, playKeyPrev, playKeyLouder, playKeySofter}},
		{"application arrows", "\x1bOC\x1bOD", []playKey{playKeyNext, playKeyPrev}},
		{"ctrl-c and ctrl-d", "\x03\x04", []playKey{playKeyQuit, playKeyQuit}},
		{"other keys ignored", "xyz\r\n\x1b[5~", nil},
		{"escape then a key", "\x1bn", []playKey{playKeyNext}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := make(chan playKey, 32)
			playReadKeys(strings.NewReader(tc.in), keys)
			var got []playKey
			for k := range keys {
				got = append(got, k)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("keys %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("keys %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestPlaySessionKeys(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		at   time.Duration // since t0
		pos  int           // position before the key (-1: unchanged)
		key  playKey
		want int // position after (a seek, or unchanged)
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"next from the lead-in", []step{{0, 0, playKeyNext, 500}}},
		{"next from the middle of a chapter", []step{{0, 20000, playKeyNext, 50000}}},
		{"next from the last chapter goes to the end", []step{{0, 55000, playKeyNext, 60000}}},
		{"prev restarts the chapter", []step{{0, 20000, playKeyPrev, 10000}}},
		{"prev twice quickly goes back one", []step{{0, 20000, playKeyPrev, 10000}, {time.Second, -1, playKeyPrev, 500}}},
		{"prev three times quickly goes back two", []step{{0, 55000, playKeyPrev, 50000}, {time.Second, -1, playKeyPrev, 10000}, {2 * time.Second, -1, playKeyPrev, 500}}},
		{"prev twice slowly restarts twice", []step{{0, 20000, playKeyPrev, 10000}, {5 * time.Second, 11000, playKeyPrev, 10000}}},
		{"prev in the first chapter stays there", []step{{0, 2000, playKeyPrev, 500}, {time.Second, -1, playKeyPrev, 500}}},
		{"prev in the lead-in goes to the first chapter", []step{{0, 100, playKeyPrev, 500}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			s := &playSession{tl: testTimeline(), p: f}
			for i, st := range tc.steps {
				if st.pos >= 0 {
					f.pos = st.pos
				}
				quit, err := s.press(st.key, t0.Add(st.at))
				if quit || err != nil {
					t.Fatalf("step %d: quit %v, err %v", i, quit, err)
				}
				if f.pos != st.want {
					t.Fatalf("step %d: position %d, want %d", i, f.pos, st.want)
				}
			}
		})
	}
}

func TestPlaySessionPauseVolumeQuit(t *testing.T) {
	f := newFake()
	s := &playSession{tl: testTimeline(), p: f}
	now := time.Now()
	s.press(playKeyPause, now)
	if !f.paused || s.lastMessage != "paused" {
		t.Errorf("after space: paused %v, message %q", f.paused, s.lastMessage)
	}
	s.press(playKeyPause, now)
	if f.paused {
		t.Error("second space did not resume")
	}
	for range 3 {
		s.press(playKeySofter, now)
	}
	if f.volume < 0.69 || f.volume > 0.71 || s.lastMessage != "volume 70%" {
		t.Errorf("volume %v (%q) after three -, want 0.7", f.volume, s.lastMessage)
	}
	for range 20 {
		s.press(playKeySofter, now)
	}
	if f.volume != 0 {
		t.Errorf("volume %v, want 0 at the bottom", f.volume)
	}
	for range 25 {
		s.press(playKeyLouder, now)
	}
	if f.volume != 1 {
		t.Errorf("volume %v, want 1 at the top", f.volume)
	}
	if quit, _ := s.press(playKeyQuit, now); !quit {
		t.Error("q does not quit")
	}
	if len(f.seeks) != 0 {
		t.Errorf("pause and volume sought: %v", f.seeks)
	}
}

func TestPlayStatusAt(t *testing.T) {
	tl := testTimeline()
	tests := []struct {
		name      string
		pos       int
		chapter   int
		line      string
		timer     mixer.EventKind
		timerLeft time.Duration
	}{
		{"lead-in", 100, -1, "", "", 0},
		{"first line", 600, 0, "Welcome.", "", 0},
		{"between lines", 5000, 0, "", "", 0},
		{"hold starts", 12000, 1, "", mixer.Hold, 30 * time.Second},
		{"hold, a moment in", 12001, 1, "", mixer.Hold, 30 * time.Second},
		{"hold, last second", 41500, 1, "", mixer.Hold, time.Second},
		{"hold, with a beep on top", 39050, 1, "", mixer.Hold, 3 * time.Second},
		{"hold over", 42000, 1, "", "", 0},
		{"last chapter", 51000, 2, "Well done.", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := playStatusAt(tl, tc.pos)
			if st.Chapter != tc.chapter || st.Line != tc.line || st.Timer != tc.timer || st.TimerLeft != tc.timerLeft {
				t.Errorf("chapter %d line %q timer %q %v; want %d %q %q %v",
					st.Chapter, st.Line, st.Timer, st.TimerLeft, tc.chapter, tc.line, tc.timer, tc.timerLeft)
			}
			if st.Elapsed != tl.Time(tc.pos) || st.Total != time.Minute {
				t.Errorf("elapsed %v total %v", st.Elapsed, st.Total)
			}
		})
	}
}

func TestPlayChapterIndex(t *testing.T) {
	tl := testTimeline()
	tests := []struct {
		from    string
		want    int
		wantErr string
	}{
		{"", -1, ""},
		{"1", 0, ""},
		{"3", 2, ""},
		{"knee", 1, ""},
		{" Closing ", 2, ""},
		{"0", 0, "chapters 1 to 3"},
		{"4", 0, "chapters 1 to 3"},
		{"bridge", 0, "1 Intro, 2 Knee hug, 3 Closing"},
	}
	for _, tc := range tests {
		t.Run(tc.from, func(t *testing.T) {
			got, err := playChapterIndex(tl, tc.from)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("err %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

func TestPlayScreen(t *testing.T) {
	tl := testTimeline()
	st := playStatusAt(tl, 20000)
	st.Title, st.Volume, st.Paused, st.Message = "Test (gentle)", 0.8, true, "paused"
	const width = 80
	lines := playScreen(st, width)
	text := strings.Join(lines, "\n")
	for _, want := range []string{
		"Test (gentle)",
		"Chapter 2 of 3 · Knee hug",
		"HOLD",
		"00:20 / 01:00 · 00:40 left",
		"PAUSED · volume 80% · paused",
		"space pause · n/→ next chapter · p/← restart chapter (twice: previous)",
		"+/- volume · q quit",
	} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("screen lacks %q:\n%s", want, text)
		}
	}
	// 22 s left of the hold, in large digits.
	big := playBigDigits(22)
	if !strings.Contains(text, big[0]) || !strings.Contains(text, big[4]) {
		t.Errorf("screen lacks the large 22:\n%s", text)
	}
	for _, w := range []int{30, 60, width} {
		for _, l := range playScreen(st, w) {
			if n := len([]rune(l)); n > w {
				t.Errorf("line of %d columns, wider than %d: %q", n, w, l)
			}
		}
	}
	// A long line wraps on at most three rows.
	st.Line = strings.Repeat("stretch gently ", 40)
	lines = playScreen(st, width)
	if got := strings.Count(strings.Join(lines, "\n"), "stretch"); got > 3*width/len("stretch ") {
		t.Errorf("long line not cut: %d words shown", got)
	}
}

func TestPlayBigDigits(t *testing.T) {
	got := strings.Join(playBigDigits(10), "\n")
	want := " ██ ███\n" +
		"  █ █ █\n" +
		"  █ █ █\n" +
		"  █ █ █\n" +
		"  █ ███"
	if got != want {
		t.Errorf("10 drawn as\n%s\nwant\n%s", got, want)
	}
	if rows := playBigDigits(-5); rows[0] != "███" {
		t.Errorf("negative drawn as %q, want 0", rows)
	}
}

func TestPlayPlainLines(t *testing.T) {
	tl := testTimeline()
	var b bytes.Buffer
	d := &playPlain{w: &b}
	show := func(pos int, paused bool) {
		st := playStatusAt(tl, pos)
		st.Title, st.Paused = "Test (standard)", paused
		d.show(st)
	}
	for _, pos := range []int{0, 400, 600, 700, 5000, 10000, 10100, 13000} {
		show(pos, false)
	}
	show(13100, true)
	show(13100, false)
	show(10000, false) // restart of the chapter: said again
	want := `Test (standard), 01:00, 3 chapters
00:00 chapter 1/3: Intro
00:00   Welcome.
00:10 chapter 2/3: Knee hug
00:10   Hug your knees.
00:13 paused
00:13 resumed
00:10 chapter 2/3: Knee hug
00:10   Hug your knees.
`
	if b.String() != want {
		t.Errorf("plain output:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestPlayBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no routine", []string{"play"}, "expected one ROUTINE"},
		{"two routines", []string{"play", "a", "b"}, "expected one ROUTINE"},
		{"unknown level", []string{"play", "lower-back", "--level", "extreme"}, "unknown level"},
		{"unknown routine", []string{"play", "no-such-routine"}, "neither a built-in routine"},
		{"missing voice folder", []string{"play", "lower-back", "--voice", "/nonexistent/voice"}, "voice"},
		{"missing music", []string{"play", "lower-back", "--music", "/nonexistent.mp3"}, "music"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
}

// The tests below play through a private PulseAudio server (internal/pulsetest)
// and record what comes out. The audio output can be opened once per process,
// so each run of the command happens in a child: this test binary again, with
// playHelperEnv set, running TestPlayHelperProcess.

const (
	playHelperEnv = "ROUTINECAST_PLAY_HELPER"
	playArgsEnv   = "ROUTINECAST_PLAY_ARGS"
)

// TestPlayHelperProcess is the child's side: it runs the command line in
// playArgsEnv as main does, and notes on stderr the longest time the process
// went without running (a machine busy enough for that starves the sound).
func TestPlayHelperProcess(t *testing.T) {
	if os.Getenv(playHelperEnv) != "1" {
		return
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(playArgsEnv)), &args); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	stalls := pulsetest.WatchStalls()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, append([]string{"routinecast"}, args...), os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && err.Error() != "" {
		fmt.Fprintln(os.Stderr, "routinecast:", err)
	}
	fmt.Fprintf(os.Stderr, "helper-stall-ns: %d\n", stalls.Stop())
	os.Exit(ExitCode(err))
}

// playChild is one run of the command in a child process.
type playChild struct {
	cmd    *exec.Cmd
	start  time.Time
	stdout *syncBuffer
	stderr *syncBuffer
	stdin  io.WriteCloser
	done   chan struct{}
	code   int
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startPlay starts the command line args in a child with extra environment
// variables. Its standard input is a pipe the test writes keys to.
func startPlay(t *testing.T, env []string, args ...string) *playChild {
	t.Helper()
	c := newPlayChild(env, args)
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Stdout = c.stdout
	c.launch(t)
	return c
}

func newPlayChild(env, args []string) *playChild {
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestPlayHelperProcess$")
	cmd.Env = pulsetest.MergeEnv(os.Environ(), append(env, playHelperEnv+"=1", playArgsEnv+"="+string(a))...)
	c := &playChild{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	return c
}

func (c *playChild) launch(t *testing.T) {
	t.Helper()
	c.start = time.Now()
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.cmd.Wait()
		c.code = c.cmd.ProcessState.ExitCode()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
}

// wait waits for the child to exit, at most d.
func (c *playChild) wait(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(d):
		c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("play did not finish within %v\nstdout:\n%s\nstderr:\n%s", d, c.stdout, c.stderr)
	}
}

// waitOutput waits until the child's standard output contains s.
func (c *playChild) waitOutput(t *testing.T, s string) time.Time {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(c.stdout.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("play never printed %q\nstdout:\n%s\nstderr:\n%s", s, c.stdout, c.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

// stall is the longest the child went without running.
func (c *playChild) stall() time.Duration {
	var ns int64
	for _, l := range strings.Split(c.stderr.String(), "\n") {
		if v, ok := strings.CutPrefix(l, "helper-stall-ns: "); ok {
			ns, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return time.Duration(ns)
}

// playFixture makes the small routine and a recorded voice for it whose clips
// are distinct noises, so that every part of the track can be found in a
// recording. It returns the routine's path and the voice's folder.
func playFixture(t *testing.T) (routine, voice string) {
	t.Helper()
	dir := t.TempDir()
	routine = smallRoutine(t, dir)
	r, err := routines.Load(routine)
	if err != nil {
		t.Fatal(err)
	}
	var scripts []*routines.Script
	for _, l := range routines.Levels {
		s, err := routines.Expand(r, l)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, s)
	}
	recordings := filepath.Join(dir, "recordings")
	if err := os.Mkdir(recordings, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, text := range narration.Texts(narration.Lines(scripts...)) {
		writeNoise(t, filepath.Join(recordings, narration.RecordingFile(text)), uint64(i+1))
	}
	voice = filepath.Join(dir, "voice")
	if _, errs, code := run(t, "voice", "import", recordings, "--voice", voice, "--routine", routine); code != 0 {
		t.Fatalf("voice import: exit %d: %s", code, errs)
	}
	return routine, voice
}

// writeNoise writes 0.8 s of noise with a tone, different for each seed, as a
// 16 kHz WAV "recording".
func writeNoise(t *testing.T, path string, seed uint64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := audio.NewWAVEncoder(f, audio.EncodeOptions{SampleRate: 16000, Channels: 1})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	s := make([][2]float64, 12800)
	for i := range s {
		x := 0.2*(rng.Float64()*2-1) + 0.2*math.Sin(2*math.Pi*float64(200+50*seed)*float64(i)/16000)
		s[i] = [2]float64{x, x}
	}
	if err := e.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

// exported renders the routine with the export command and returns the track,
// folded to mono, and its timeline's chapters.
func exported(t *testing.T, routine, voice string) ([]float64, []mixer.Chapter) {
	t.Helper()
	wav := filepath.Join(t.TempDir(), "track.wav")
	chapters := filepath.Join(t.TempDir(), "chapters.json")
	if _, errs, code := run(t, "export", routine, "--voice", voice, "-o", wav, "--chapters", chapters); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	s, _, err := audio.Open(wav)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []float64
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		for _, f := range buf[:n] {
			out = append(out, (f[0]+f[1])/2)
		}
		if !ok {
			break
		}
	}
	var cj struct {
		Chapters []struct {
			StartTime float64 `json:"startTime"`
			Title     string  `json:"title"`
		} `json:"chapters"`
	}
	data, err := os.ReadFile(chapters)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cj); err != nil {
		t.Fatal(err)
	}
	var chs []mixer.Chapter
	for _, c := range cj.Chapters {
		chs = append(chs, mixer.Chapter{Title: c.Title, Start: int(math.Round(c.StartTime * pulsetest.Rate))})
	}
	return out, chs
}

// matchWindows checks rec[off+i] against ref[i] for i in [from, to), 50 ms at a
// time, and returns the problems: play renders without loudness normalisation,
// so the level may differ from the export's by a constant gain.
func matchWindows(ref, rec []float64, off, from, to int) []string {
	const win = pulsetest.Rate / 20
	if off+from < 0 || off+to > len(rec) {
		return []string{fmt.Sprintf("the recording misses [%d, %d) at offset %d", from, to, off)}
	}
	var problems []string
	for w := from; w+win/5 <= to; w += win {
		e := min(w+win, to)
		if pulsetest.RMS(ref[w:e]) < 1e-3 {
			if rms := pulsetest.RMS(rec[off+w : off+e]); rms > 1e-3 {
				problems = append(problems, fmt.Sprintf("sound (RMS %.4f) where the export is silent at %.2f s", rms, float64(w)/pulsetest.Rate))
			}
			continue
		}
		if c := pulsetest.Corr(ref[w:e], rec[off+w:off+e]); c < 0.99 {
			problems = append(problems, fmt.Sprintf("the recording departs from the export at %.2f s: correlation %.4f", float64(w)/pulsetest.Rate, c))
		}
		if len(problems) > 3 {
			break
		}
	}
	return problems
}

// playStallLimit is a stall of the child that can starve the device buffer.
const playStallLimit = 25 * time.Millisecond

// playTooBusy ends a test whose every attempt was spoilt by a machine too busy
// to keep a sound buffer filled: a skip, or a failure where the tools are
// required (CI), since then the machine is meant to be fit for the test.
func playTooBusy(t *testing.T, stall time.Duration, problems []string) {
	t.Helper()
	msg := fmt.Sprintf("the machine stalled play for up to %v in every attempt, which causes dropouts: %s", stall, strings.Join(problems, "; "))
	if testtool.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg + " (set ROUTINECAST_REQUIRE_TOOLS=1 to fail instead)")
}

func TestPlayMatchesExport(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	ref, chapters := exported(t, routine, voice)
	var out string
	for attempt := 1; ; attempt++ {
		rec := srv.Record(t)
		stalls := pulsetest.WatchStalls()
		c := startPlay(t, srv.Env(), "play", routine, "--voice", voice)
		c.stdin.Close() // no keys: play to the end
		c.wait(t, 60*time.Second)
		time.Sleep(200 * time.Millisecond)
		got, err := rec.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if c.code != 0 {
			t.Fatalf("play: exit %d\n%s", c.code, c.stderr)
		}
		out = c.stdout.String()
		var problems []string
		off, corr := pulsetest.Align(got, ref)
		t.Logf("attempt %d: the export found in the recording at %d, correlation %.5f", attempt, off, corr)
		if corr < 0.99 {
			problems = append(problems, fmt.Sprintf("correlation %.4f with the export, want > 0.99", corr))
		} else {
			problems = append(problems, matchWindows(ref, got, off, 0, len(ref))...)
			end := off + len(ref)
			if end+pulsetest.Rate/10 > len(got) {
				problems = append(problems, "the recording stops before the end of the track")
			} else if rms := pulsetest.RMS(got[end : end+pulsetest.Rate/10]); rms > 1e-4 {
				problems = append(problems, fmt.Sprintf("sound after the end of the track: RMS %.4f", rms))
			}
			t.Logf("track of %.2f s; gain of play against the export %.3f; the track began %v after the command started",
				float64(len(ref))/pulsetest.Rate, pulsetest.Gain(ref, got[off:end]), rec.TimeAt(off).Sub(c.start).Round(time.Millisecond))
		}
		if stall := max(c.stall(), stalls.Stop()); len(problems) > 0 && stall >= playStallLimit {
			if attempt < 3 {
				t.Logf("the machine stalled play for %v; trying again. Problems: %s", stall, strings.Join(problems, "; "))
				continue
			}
			playTooBusy(t, stall, problems)
		}
		for _, p := range problems {
			t.Error(p)
		}
		break
	}
	// Plain output: the title, each chapter and each line, with times.
	for _, want := range []string{"Neck (standard)", "00:00 chapter 1/", "Hello there.", "Roll your head slowly.", "Well done, see you tomorrow."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, " chapter "); n != len(chapters) {
		t.Errorf("%d chapter lines, the export has %d chapters:\n%s", n, len(chapters), out)
	}
}

// TestPlayKeys drives play from its standard input: n skips to the next
// chapter, space pauses and resumes, q quits; the recording shows each.
func TestPlayKeys(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	ref, chapters := exported(t, routine, voice)
	if len(chapters) < 3 {
		t.Fatalf("the fixture has %d chapters, want 3", len(chapters))
	}
	const rate = pulsetest.Rate
	ms := func(n int) time.Duration { return time.Duration(n) * time.Second / rate }
	for attempt := 1; ; attempt++ {
		rec := srv.Record(t)
		stalls := pulsetest.WatchStalls()
		c := startPlay(t, srv.Env(), "play", routine, "--voice", voice)
		c.waitOutput(t, "Hello there.")
		// Let the first line be heard for a while (its first 100 ms are
		// looked for below) before skipping it.
		time.Sleep(250 * time.Millisecond)
		tNext := time.Now()
		io.WriteString(c.stdin, "n")
		c.waitOutput(t, " chapter 2/")
		time.Sleep(300 * time.Millisecond)
		tPause := time.Now()
		io.WriteString(c.stdin, " ")
		time.Sleep(600 * time.Millisecond)
		tResume := time.Now()
		io.WriteString(c.stdin, " ")
		time.Sleep(500 * time.Millisecond)
		tQuit := time.Now()
		io.WriteString(c.stdin, "q")
		c.wait(t, 10*time.Second)
		quitIn := time.Since(tQuit)
		time.Sleep(100 * time.Millisecond)
		got, err := rec.Stop()
		if err != nil {
			t.Fatal(err)
		}
		if c.code != 0 {
			t.Fatalf("play: exit %d\n%s", c.code, c.stderr)
		}

		var problems []string
		fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
		// n: the intro plays from its start, then chapter 2 from its start.
		ch1, ch2 := chapters[0].Start, chapters[1].Start
		for ch1 < ch2 && math.Abs(ref[ch1]) < 1e-4 { // the first chapter opens with the lead-in's silence
			ch1++
		}
		off1, c1 := pulsetest.Align(got, ref[ch1:ch1+rate/10])
		off2, c2 := pulsetest.Align(got, ref[ch2:ch2+rate/4])
		off1, off2 = off1-ch1, off2-ch2
		switch {
		case c1 < 0.99 || c2 < 0.99:
			fail("the starts of chapters 1 and 2 are not both in the recording: correlations %.3f, %.3f", c1, c2)
		case off2 >= off1-rate/10:
			fail("n skipped nothing: chapter 2 came %v after chapter 1's start, as in the track", ms(off2+ch2-off1-ch1))
		default:
			problems = append(problems, matchWindows(ref, got, off1, ch1, off2+ch2-off1-rate/20)...)
			nLatency := rec.TimeAt(off2 + ch2).Sub(tNext)
			t.Logf("attempt %d: n skipped %v of the intro; chapter 2 heard %v after the key", attempt, ms(off1-off2), nLatency.Round(time.Millisecond))
			if nLatency > 100*time.Millisecond {
				fail("n took %v to be heard, want within 100 ms", nLatency)
			}
		}
		// space: silence from the pause to the resume, then the track goes on
		// where it stopped.
		iPause, iResume := rec.Index(tPause), rec.Index(tResume)
		if rms := pulsetest.RMS(got[iPause+rate/10 : iResume]); rms > 1e-4 {
			fail("sound during the pause: RMS %.4f", rms)
		}
		after := got[iResume+rate/8 : iResume+rate/3]
		q, c3 := pulsetest.Align(ref, after)
		off3 := iResume + rate/8 - q
		gap := ms(off3 - off2)
		t.Logf("paused for %v; the track resumed %v later in the recording (correlation %.3f)", tResume.Sub(tPause).Round(time.Millisecond), gap.Round(time.Millisecond), c3)
		if c3 < 0.99 {
			fail("after the resume the sound is not the track: correlation %.3f", c3)
		} else if d := gap - tResume.Sub(tPause); d < -40*time.Millisecond || d > 40*time.Millisecond {
			fail("the pause moved the track by %v, want the %v between the keys (within 40 ms)", gap, tResume.Sub(tPause))
		}
		// q: a clean exit at once.
		t.Logf("q: exit after %v", quitIn.Round(time.Millisecond))
		if quitIn > 500*time.Millisecond {
			fail("q took %v to exit", quitIn)
		}
		for _, want := range []string{"paused", "resumed"} {
			if !strings.Contains(c.stdout.String(), want) {
				fail("output lacks %q:\n%s", want, c.stdout)
			}
		}
		if stall := max(c.stall(), stalls.Stop()); len(problems) > 0 && stall >= playStallLimit {
			if attempt < 3 {
				t.Logf("the machine stalled play for %v; trying again. Problems: %s", stall, strings.Join(problems, "; "))
				continue
			}
			playTooBusy(t, stall, problems)
		}
		for _, p := range problems {
			t.Error(p)
		}
		return
	}
}

// TestPlayNoOutput runs play where no output exists: no PulseAudio server at
// PULSE_SERVER and an ALSA configuration with no devices.
func TestPlayNoOutput(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("how to hide every output is Linux-specific")
	}
	dir := t.TempDir()
	alsaConf := filepath.Join(dir, "asound.conf")
	if err := os.WriteFile(alsaConf, []byte("# no devices\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startPlay(t, []string{
		"PULSE_SERVER=unix:" + filepath.Join(dir, "no-such-socket"),
		"XDG_RUNTIME_DIR=" + dir, "HOME=" + dir, "ALSA_CONFIG_PATH=" + alsaConf,
	}, "play", "lower-back")
	c.stdin.Close()
	c.wait(t, 10*time.Second)
	took := time.Since(c.start)
	errs := c.stderr.String()
	t.Logf("exit %d after %v: %s", c.code, took.Round(time.Millisecond), errs)
	if c.code != 1 {
		t.Errorf("exit %d, want 1", c.code)
	}
	for _, want := range []string{"no audio output", "PulseAudio/PipeWire", "ALSA", "routinecast export"} {
		if !strings.Contains(errs, want) {
			t.Errorf("error does not mention %q", want)
		}
	}
	if took > 3*time.Second {
		t.Errorf("play took %v to fail, want under 3 s", took)
	}
}

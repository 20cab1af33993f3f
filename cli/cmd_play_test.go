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
	return playFixtureOf(t, smallRoutine)
}

// playFixtureOf is playFixture for the routine that write puts in a folder.
func playFixtureOf(t *testing.T, write func(t *testing.T, dir string) string) (routine, voice string) {
	t.Helper()
	dir := t.TempDir()
	routine = write(t, dir)
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

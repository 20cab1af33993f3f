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

	"routinecast/audio"
	"routinecast/internal/pulsetest"
	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// The chapter index reads only the timeline's chapters.
func TestPlayChapterIndex(t *testing.T) {
	tl := &mixer.Timeline{Chapters: []mixer.Chapter{
		{Title: "Intro", Start: 500},
		{Title: "Knee hug", Start: 10000},
		{Title: "Closing", Start: 50000},
	}}
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
	scripts := routinetest.Levels(t, r)
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
	rng := rand.New(rand.NewPCG(seed, 99))
	s := make([][2]float64, 12800)
	for i := range s {
		x := 0.2*(rng.Float64()*2-1) + 0.2*math.Sin(2*math.Pi*float64(200+50*seed)*float64(i)/16000)
		s[i] = [2]float64{x, x}
	}
	testtool.WriteWAV(t, path, 16000, 1, s)
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
	for _, f := range testtool.ReadAll(t, s, 4096) {
		out = append(out, (f[0]+f[1])/2)
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

// playBusyPressure is the share of time some task waited for a CPU (Linux's
// pressure stall information) above which the machine is too busy for
// sound to be on time: the sound server and the recorder, which no stall
// watch of ours sees, wait too.
const playBusyPressure = 0.5

// playAttempts is how many times a play test runs before its problems count:
// everything it checks can be spoilt by a scheduler that runs the player, the
// sound server or the recorder late, and a real fault shows in every attempt.
// Where the tools are required (CI) a busy machine gets more chances to calm
// down, so that the test is not skipped for a passing burst of load.
func playAttempts() int {
	if testtool.Required() {
		return 6
	}
	return 3
}

// playLoad measures how busy the machine is during one attempt.
type playLoad struct {
	stalls   *pulsetest.StallWatch
	start    time.Time
	pressure time.Duration // the CPU pressure counter at the start, or -1
}

func watchLoad() *playLoad {
	return &playLoad{stalls: pulsetest.WatchStalls(), start: time.Now(), pressure: cpuPressure()}
}

// cpuPressure is Linux's count of the time some task was kept waiting for a
// CPU, or -1 where the kernel does not say.
func cpuPressure() time.Duration {
	data, err := os.ReadFile("/proc/pressure/cpu")
	if err != nil {
		return -1
	}
	for _, f := range strings.Fields(strings.SplitN(string(data), "\n", 2)[0]) {
		if v, ok := strings.CutPrefix(f, "total="); ok {
			if us, err := strconv.ParseInt(v, 10, 64); err == nil {
				return time.Duration(us) * time.Microsecond
			}
		}
	}
	return -1
}

// stop ends the measure: the longest stall of this process or the child's,
// and the share of the time tasks waited for a CPU (-1 if unknown).
func (l *playLoad) stop(c *playChild) (stall time.Duration, pressure float64) {
	stall = max(c.stall(), l.stalls.Stop())
	pressure = -1
	if now := cpuPressure(); now >= 0 && l.pressure >= 0 {
		pressure = float64(now-l.pressure) / float64(time.Since(l.start))
	}
	return stall, pressure
}

// playTries follows the attempts of a play test.
type playTries struct {
	calm []string // the problems of the last attempt that failed on a machine not busy
}

// done decides what an attempt's problems mean: false to try again, true
// when the test is over (passed, its problems reported, or the machine found
// too busy to judge). Problems fail the test if they showed on a machine that
// was not busy in any attempt; otherwise they skip it.
func (p *playTries) done(t *testing.T, attempt int, stall time.Duration, pressure float64, problems []string) bool {
	t.Helper()
	t.Logf("attempt %d: longest stall %v, CPU pressure %.0f%%", attempt, stall, 100*pressure)
	if len(problems) == 0 {
		return true
	}
	busy := stall >= playStallLimit || pressure >= playBusyPressure
	if !busy {
		p.calm = problems
	}
	if attempt < playAttempts() {
		t.Logf("attempt %d failed; trying again. Problems: %s", attempt, strings.Join(problems, "; "))
		if busy {
			time.Sleep(time.Second)
		}
		return false
	}
	if p.calm == nil {
		playTooBusy(t, stall, pressure, problems)
		return true
	}
	for _, msg := range p.calm {
		t.Error(msg)
	}
	return true
}

// playTooBusy ends a test whose every attempt was spoilt by a machine too
// busy to keep a sound buffer filled, with the figures that show it. It skips
// even where the tools are required: CI runs beside other jobs, and a
// recording full of dropouts the load caused cannot tell a fault of play
// from the load. On a machine that is not busy the same problems fail.
func playTooBusy(t *testing.T, stall time.Duration, pressure float64, problems []string) {
	t.Helper()
	t.Skipf("the machine was too busy to judge in %d attempts (the last: play stalled up to %v; tasks waited for a CPU %.0f%% of the time), which causes dropouts and delays: %s",
		playAttempts(), stall, 100*pressure, strings.Join(problems, "; "))
}

func TestPlayMatchesExport(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	ref, chapters := exported(t, routine, voice)
	var out string
	var tries playTries
	for attempt := 1; ; attempt++ {
		rec := srv.Record(t)
		load := watchLoad()
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
		if stall, pressure := load.stop(c); tries.done(t, attempt, stall, pressure, problems) {
			break
		}
	}
	// Plain output: the title, each chapter and each line, with times.
	for _, want := range []string{"Neck (standard)", "0:00 chapter 1/", "Hello there.", "Roll your head slowly.", "Well done, see you tomorrow."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, " chapter "); n != len(chapters) {
		t.Errorf("%d chapter lines, the export has %d chapters:\n%s", n, len(chapters), out)
	}
}

// TestPlayKeys drives play from its standard input: n skips to the next
// chapter, space pauses and resumes, q quits; the recording shows each. What
// it checks is found in the recording itself (where the sound stops and comes
// back), so that how late the keys took effect changes nothing; only the
// latency checks depend on the scheduler, and they allow for the stalls
// measured.
func TestPlayKeys(t *testing.T) {
	srv := pulsetest.Start(t)
	routine, voice := playFixture(t)
	ref, chapters := exported(t, routine, voice)
	if len(chapters) < 3 {
		t.Fatalf("the fixture has %d chapters, want 3", len(chapters))
	}
	const rate = pulsetest.Rate
	ms := func(n int) time.Duration { return time.Duration(n) * time.Second / rate }
	var tries playTries
	for attempt := 1; ; attempt++ {
		rec := srv.Record(t)
		load := watchLoad()
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
		time.Sleep(time.Second)
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
		stall, pressure := load.stop(c)
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
			if limit := 100*time.Millisecond + stall + raceSlack; nLatency > limit {
				fail("n took %v to be heard, want within %v (100 ms and the longest stall)", nLatency, limit)
			}
		}
		// space: a run of silence after the pause key, and after it the track
		// going on from where its sound stopped: nothing audible lost, nothing
		// said twice.
		if len(problems) == 0 {
			problems = append(problems, checkPause(t, ref, got, off2, rec.Index(tPause), rec.Index(tResume), rec.Index(tQuit))...)
		}
		// q: a clean exit at once.
		t.Logf("q: exit after %v", quitIn.Round(time.Millisecond))
		if limit := 500*time.Millisecond + stall + raceSlack; quitIn > limit {
			fail("q took %v to exit, want within %v", quitIn, limit)
		}
		for _, want := range []string{"paused", "resumed"} {
			if !strings.Contains(c.stdout.String(), want) {
				fail("output lacks %q:\n%s", want, c.stdout)
			}
		}
		if tries.done(t, attempt, stall, pressure, problems) {
			return
		}
	}
}

// checkPause checks a pause in the recording rec of the track ref, which
// plays at offset off (rec[i] is ref[i-off]) until the pause: the keys were
// pressed at samples pause, resume and quit of rec.
func checkPause(t *testing.T, ref, rec []float64, off, pause, resume, quit int) []string {
	t.Helper()
	const rate = pulsetest.Rate
	ms := func(n int) time.Duration { return time.Duration(n) * time.Second / rate }
	// The pause is the first silence after the key longer than the gaps of
	// the track (350 ms), and no longer than the second between the keys.
	from, to, ok := silentRun(rec, pause-rate/10, rate/2)
	if !ok {
		return []string{fmt.Sprintf("no silence of 0.5 s in the recording after the pause key (at %.2f s)", float64(pause)/rate)}
	}
	t.Logf("the sound stopped %v after the pause key and came back %v after the resume key, %v later",
		ms(from-pause), ms(to-resume), ms(to-from))
	stopped := from - off // where in the track the sound stopped
	if to+rate/4 > len(rec) || stopped < 0 || stopped+2*rate > len(ref) {
		return []string{fmt.Sprintf("the pause at %.2f s is too near an end of the recording", float64(from)/rate)}
	}
	// Where the track went on: near where it stopped (a line can come back
	// later in the track, so the search is kept close).
	// The first 50 ms are left out: the sound server may ease a stream back in.
	lo := max(stopped-rate/10, 0)
	q, corr := pulsetest.Align(ref[lo:stopped+2*rate], rec[to+rate/20:to+rate/4])
	q += lo - rate/20
	if corr < 0.99 {
		return []string{fmt.Sprintf("after the resume the sound is not the track near where it stopped: correlation %.3f", corr)}
	}
	t.Logf("the track stopped at %v and went on at %v", ms(stopped), ms(q))
	var problems []string
	if q < stopped-rate/25 { // the player goes back to what was heard, to within a few ms
		problems = append(problems, fmt.Sprintf("the resume played %v of the track again", ms(stopped-q)))
	}
	for w := stopped + rate/100; w+rate/100 <= q-rate/100; w += rate / 100 {
		if rms := pulsetest.RMS(ref[w : w+rate/100]); rms > 1e-3 {
			problems = append(problems, fmt.Sprintf("the pause lost the sound of the track from %v to %v", ms(w), ms(q)))
			break
		}
	}
	// Up to 100 ms before the quit key (as far as the recording's clock
	// can tell): the sound may stop at once.
	return append(problems, matchWindows(ref, rec, to-q, q+rate/20, min(q+quit-to-rate/10, len(ref)))...)
}

// silentRun finds the first run of at least n silent samples in x from
// sample from on, in 10 ms windows: its start and its end (the first window
// with sound after it).
func silentRun(x []float64, from, n int) (start, end int, ok bool) {
	const win = pulsetest.Rate / 100
	start = -1
	for w := max(from, 0); w+win <= len(x); w += win {
		if pulsetest.RMS(x[w:w+win]) < 1e-4 {
			if start < 0 {
				start = w
			}
			continue
		}
		if start >= 0 && w-start >= n {
			return start, w, true
		}
		start = -1
	}
	return 0, 0, false
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
	var tries playTries
	for attempt := 1; ; attempt++ {
		load := watchLoad()
		c := startPlay(t, []string{
			"PULSE_SERVER=unix:" + filepath.Join(dir, "no-such-socket"),
			"XDG_RUNTIME_DIR=" + dir, "HOME=" + dir, "ALSA_CONFIG_PATH=" + alsaConf,
		}, "play", "lower-back")
		c.stdin.Close()
		c.wait(t, 30*time.Second)
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
		// Only the time depends on the scheduler, so only it is tried again.
		var problems []string
		if took > 3*time.Second {
			problems = append(problems, fmt.Sprintf("play took %v to fail, want under 3 s", took))
		}
		if stall, pressure := load.stop(c); tries.done(t, attempt, stall, pressure, problems) {
			return
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"lower-back":           "lower-back",
		"/tmp/my routine.yaml": "'/tmp/my routine.yaml'",
		"it's.yaml":            `'it'\''s.yaml'`,
		"":                     "''",
		"--level=gentle":       "--level=gentle",
		"$HOME/r.yaml":         "'$HOME/r.yaml'",
		"C:\\routines\\r.yaml": `'C:\routines\r.yaml'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

package main

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

// nothingInstalled returns a folder to run in and an environment with an
// empty HOME and cache, and no program on PATH: a fresh machine.
func nothingInstalled(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "PATH=/nonexistent", "TMPDIR=" + os.TempDir()}
	return dir, env
}

func runEnv(t *testing.T, dir string, env []string, args ...string) run {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir, cmd.Env = dir, env
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

type showJSON struct {
	TotalSeconds float64 `json:"total_seconds"`
	Estimated    bool    `json:"estimated"`
	Chapters     []struct {
		Title string `json:"title"`
	} `json:"chapters"`
}

func showOf(t *testing.T, dir string, env []string, args ...string) showJSON {
	t.Helper()
	r := runEnv(t, dir, env, append([]string{"show"}, append(args, "--json")...)...)
	if r.code != 0 {
		t.Fatalf("show %v: exit %d\n%s", args, r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "estimated") {
		t.Errorf("show %v says its times are estimated:\n%s", args, r.stderr)
	}
	var s showJSON
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Estimated {
		t.Errorf("show %v --json: estimated is set", args)
	}
	return s
}

// TestNewRoutineWithNothingInstalled: on a machine with no speech engine, an
// empty cache and nothing on PATH, a routine of the user's own exports with
// the built-in engine; the MP3 decodes cleanly, has its chapters and its
// loudness; show's times are the MP3's; --minutes lands where it says.
func TestNewRoutineWithNothingInstalled(t *testing.T) {
	ffprobe := testtool.Require(t, "ffprobe")
	dir, env := nothingInstalled(t)
	r := runEnv(t, dir, env, "new")
	if r.code != 0 {
		t.Fatalf("new: exit %d\n%s", r.code, r.stderr)
	}
	testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), r.stdout)
	if r = runEnv(t, dir, env, "export", "r.yaml", "-o", "r.mp3"); r.code != 0 {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	mp3 := filepath.Join(dir, "r.mp3")

	// ffmpeg, strict: any decoding error fails.
	if _, stderr, err := testtool.Run(t, testtool.Require(t, "ffmpeg"), "-v", "error", "-xerror", "-i", mp3, "-f", "null", "-"); err != nil || len(stderr) > 0 {
		t.Errorf("ffmpeg -xerror: %v\n%s", err, stderr)
	}
	if _, stderr, err := testtool.Run(t, testtool.Require(t, "mpg123"), "-q", "-t", mp3); err != nil || strings.Contains(string(stderr), "rror") {
		t.Errorf("mpg123 -t: %v\n%s", err, stderr)
	}
	probe := testtool.Output(t, ffprobe, "-v", "error", "-show_entries", "format=duration", "-show_chapters", "-of", "json", mp3)
	var p struct {
		Format struct {
			Duration string `json:"duration"`
		} `json:"format"`
		Chapters []json.RawMessage `json:"chapters"`
	}
	if err := json.Unmarshal(probe, &p); err != nil {
		t.Fatal(err)
	}
	if l := testtool.FFmpegLoudness(t, mp3, 0); math.Abs(l.Integrated+16) > 0.5 {
		t.Errorf("integrated loudness %.2f LUFS, want -16", l.Integrated)
	}

	show := showOf(t, dir, env, "r.yaml")
	if len(p.Chapters) != len(show.Chapters) || len(p.Chapters) < 3 {
		t.Errorf("the MP3 has %d chapters, show lists %d", len(p.Chapters), len(show.Chapters))
	}
	// The MP3's decoded length (ffprobe's, which trims the encoder's delay
	// and padding) is the timeline's.
	dur, _ := strconv.ParseFloat(p.Format.Duration, 64)
	if math.Abs(dur-show.TotalSeconds) > 0.05 {
		t.Errorf("show says %.3f s, the MP3 lasts %.3f s", show.TotalSeconds, dur)
	}

	// A second export renders nothing.
	if r = runEnv(t, dir, env, "export", "r.yaml", "--force", "-o", "r.mp3"); r.code != 0 || strings.Contains(r.stderr, "rendering ") && strings.Contains(r.stderr, "missing clips") {
		t.Errorf("second export: exit %d, rendered clips again:\n%s", r.code, r.stderr)
	}

	// --minutes inside the span lands within 10 s, and the span is the
	// levels' own.
	gentle, full := showOf(t, dir, env, "r.yaml", "--level", "gentle"), showOf(t, dir, env, "r.yaml", "--level", "full")
	for _, frac := range []float64{0.25, 0.6} {
		want := gentle.TotalSeconds + frac*(full.TotalSeconds-gentle.TotalSeconds)
		m := strconv.FormatFloat(math.Round(want/6)/10, 'f', 1, 64) // minutes, to a tenth
		wantS, _ := strconv.ParseFloat(m, 64)
		got := showOf(t, dir, env, "r.yaml", "--minutes", m)
		if math.Abs(got.TotalSeconds-60*wantS) > 10 {
			t.Errorf("--minutes %s: %.1f s, want %.0f s within 10 s", m, got.TotalSeconds, 60*wantS)
		}
	}
	tooShort := strconv.FormatFloat(math.Floor((gentle.TotalSeconds-30)/60*10)/10, 'f', 1, 64)
	r = runEnv(t, dir, env, "show", "r.yaml", "--minutes", tooShort)
	if r.code != 2 || !strings.Contains(r.stderr, clock(gentle.TotalSeconds)+" to "+clock(full.TotalSeconds)) {
		t.Errorf("--minutes %s: exit %d, want 2 naming the span %s to %s:\n%s", tooShort, r.code, clock(gentle.TotalSeconds), clock(full.TotalSeconds), r.stderr)
	}
}

// clock is m:ss as the span is printed (routines.FormatClock: whole seconds,
// cut).
func clock(s float64) string {
	n := int(s)
	return strconv.Itoa(n/60) + ":" + strconv.Itoa(n%60/10) + strconv.Itoa(n%10)
}

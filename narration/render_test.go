package narration

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// fakeVoice makes a voice in a temporary folder whose engine is the fake
// engine in the given mode.
func fakeVoice(t *testing.T, mode string, clips ClipFormat) *Voice {
	t.Helper()
	v, err := Create(filepath.Join(t.TempDir(), "voice"), Manifest{Name: "fake", Language: "en",
		Engine: EngineSpec{Name: "command", Command: fakeCommand(mode)}, Clips: clips})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// folderFiles lists a voice folder, voice.yaml aside.
func folderFiles(t *testing.T, dir string) []string {
	t.Helper()
	return slices.DeleteFunc(testtool.Names(t, dir), func(name string) bool { return name == ManifestFile })
}

var someLines = []string{"Breathe in.", "Breathe out.", "Lift your chest.", "Relax.", "Switch sides.", "breathe in!"}

func TestRenderIsACache(t *testing.T) {
	v := fakeVoice(t, "speak", ClipFormat{})
	var calls atomic.Int32
	opt := RenderOptions{Jobs: 3, Progress: func(p Progress) {
		calls.Add(1)
		if p.Err != nil || p.File == "" || p.Total != 5 {
			t.Errorf("progress %+v", p)
		}
	}}
	res, err := Render(context.Background(), v, someLines, opt)
	if err != nil {
		t.Fatal(err)
	}
	// "breathe in!" shares the clip of "Breathe in.".
	if len(res.Rendered) != 5 || res.Cached != 0 || calls.Load() != 5 {
		t.Fatalf("first render: %+v, %d progress calls; want 5 rendered", res, calls.Load())
	}
	files := folderFiles(t, v.Dir())
	if len(files) != 5 {
		t.Errorf("folder holds %v, want 5 clips", files)
	}
	for _, l := range someLines {
		name, ok := v.ClipFile(l)
		if !ok || !slices.Contains(files, name) {
			t.Errorf("line %q: clip %q, %v not in the folder", l, name, ok)
		}
	}

	// A second run, on a voice opened afresh, renders nothing.
	v2, err := Open(v.Dir())
	if err != nil {
		t.Fatal(err)
	}
	res, err = Render(context.Background(), v2, someLines, RenderOptions{})
	if err != nil || len(res.Rendered) != 0 || res.Cached != 5 {
		t.Fatalf("second render: %+v, %v; want nothing rendered, 5 cached", res, err)
	}

	// Rewording one line renders that line only.
	reworded := append(slices.Clone(someLines[:4]), "Switch to the other side.")
	res, err = Render(context.Background(), v2, reworded, RenderOptions{})
	if err != nil || !slices.Equal(res.Rendered, []string{"Switch to the other side."}) || res.Cached != 4 {
		t.Fatalf("after rewording: %+v, %v; want only the new line rendered", res, err)
	}
	if unused := v2.Unused(reworded); len(unused) != 1 || !strings.HasPrefix(unused[0], "switch-sides-") {
		t.Errorf("Unused = %v, want the old switch-sides clip", unused)
	}
}

func TestRenderFailuresLeaveNothing(t *testing.T) {
	tests := []struct {
		mode    string
		timeout time.Duration
		want    string
	}{
		{"fail", time.Minute, "failed: exit status 3: fake: out of cheese"},
		{"crash", time.Minute, "failed: signal: segmentation fault: fake: about to crash"},
		// What the engine printed is in the message when it printed it
		// in time; a loaded machine may kill it first.
		{"hang", 300 * time.Millisecond, "(the timeout is 300ms a line)"},
		{"garbage", time.Minute, "engine output does not decode"},
		{"empty", time.Minute, "wrote an empty file"},
		{"none", time.Minute, "wrote no audio file"},
		{"silent", time.Minute, "engine output holds only silence"},
		{"short", time.Minute, "engine output does not decode: audio: " /* the scratch path */},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			v := fakeVoice(t, tc.mode, ClipFormat{})
			lines := []string{"Breathe in.", "Breathe out."}
			res, err := Render(context.Background(), v, lines, RenderOptions{Jobs: 1, Timeout: tc.timeout})
			if err == nil {
				t.Fatal("no error")
			}
			// The first failure stops the render: with one job the second
			// line never starts.
			if res.Failed != 1 || len(res.Rendered) != 0 {
				t.Errorf("result %+v, want 1 failed, none rendered", res)
			}
			var le *LineError
			if !errors.As(err, &le) || le.Line != lines[0] {
				t.Fatalf("error is not the first line's *LineError: %v", err)
			}
			if want := `narration: line "Breathe in.": command: `; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start %q (the line and the engine)", err, want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if tc.mode == "hang" && !strings.Contains(err.Error(), "did not finish in time") {
				t.Errorf("error %q does not say it timed out", err)
			}
			if tc.mode == "short" && !strings.Contains(err.Error(), "the header says 64000 bytes of audio, the file holds 3200") {
				t.Errorf("error %q does not give both sizes", err)
			}
			if files := folderFiles(t, v.Dir()); len(files) != 0 {
				t.Errorf("failed render left %v in the voice folder", files)
			}
			if missing := v.Missing(lines); len(missing) != 2 {
				t.Errorf("Missing = %v after a failed render", missing)
			}
		})
	}
}

// TestRenderHungEngineStopsAtOnce: an engine that hangs on every line costs
// one timeout, not one per line. The old behaviour took 40 lines x 400 ms /
// 2 jobs = 8 s at least; the bound leaves room for a loaded machine.
func TestRenderHungEngineStopsAtOnce(t *testing.T) {
	v := fakeVoice(t, "hang", ClipFormat{})
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("Line number %d.", i))
	}
	start := time.Now()
	res, err := Render(context.Background(), v, lines, RenderOptions{Jobs: 2, Timeout: 400 * time.Millisecond})
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("render with a hung engine took %v", d)
	}
	if !strings.Contains(fmt.Sprint(err), "did not finish in time") || res.Failed < 1 || res.Failed > 2 {
		t.Fatalf("res %+v, err %v", res, err)
	}
	if files := folderFiles(t, v.Dir()); len(files) != 0 {
		t.Errorf("left %v", files)
	}
}

// TestRenderKeepsClipsBeforeFailure: lines that finished before the failing
// one keep their clips (each decoded and checked whole); the failing line
// and those after it get none.
func TestRenderKeepsClipsBeforeFailure(t *testing.T) {
	v := fakeVoice(t, "fail-on-crash-word", ClipFormat{})
	lines := []string{"One.", "Two.", "Crash here.", "Four.", "Five."}
	res, err := Render(context.Background(), v, lines, RenderOptions{Jobs: 1})
	var le *LineError
	if !errors.As(err, &le) || le.Line != "Crash here." {
		t.Fatalf("err = %v, want the third line's failure", err)
	}
	if !slices.Equal(res.Rendered, lines[:2]) {
		t.Errorf("rendered %v, want the first two lines", res.Rendered)
	}
	if missing := v.Missing(lines); !slices.Equal(missing, lines[2:]) {
		t.Errorf("missing %v, want the last three", missing)
	}
}

func TestRenderMissingProgram(t *testing.T) {
	v, err := Create(filepath.Join(t.TempDir(), "voice"), Manifest{Language: "en",
		Engine: EngineSpec{Name: "command", Command: []string{"routinecast-no-such-engine", "{out}"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Render(context.Background(), v, someLines, RenderOptions{Progress: func(Progress) { t.Error("progress reported for a missing program") }})
	if !errors.Is(err, ErrNotInstalled) {
		t.Errorf("error %v, want ErrNotInstalled", err)
	}
}

func TestRenderCancelled(t *testing.T) {
	v := fakeVoice(t, "hang", ClipFormat{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := Render(ctx, v, someLines, RenderOptions{Jobs: 2})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled render took %v", d)
	}
	if files := folderFiles(t, v.Dir()); len(files) != 0 {
		t.Errorf("cancelled render left %v", files)
	}
}

func TestRenderEmbeddedRefused(t *testing.T) {
	if _, err := Render(context.Background(), Default(), someLines, RenderOptions{}); err == nil {
		t.Error("Render into the embedded voice did not fail")
	}
}

package narration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
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
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != ManifestFile {
			out = append(out, e.Name())
		}
	}
	return out
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
		{"fail", time.Minute, "exit status 3: fake: out of cheese"},
		{"hang", 300 * time.Millisecond, "did not finish in time"},
		{"garbage", time.Minute, "engine output does not decode"},
		{"empty", time.Minute, "wrote an empty file"},
		{"none", time.Minute, "wrote no audio file"},
		{"silent", time.Minute, "engine output holds only silence"},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			v := fakeVoice(t, tc.mode, ClipFormat{})
			lines := []string{"Breathe in.", "Breathe out."}
			res, err := Render(context.Background(), v, lines, RenderOptions{Timeout: tc.timeout})
			if err == nil {
				t.Fatal("no error")
			}
			if res.Failed != 2 || len(res.Rendered) != 0 {
				t.Errorf("result %+v, want 2 failed", res)
			}
			for _, l := range lines {
				if !strings.Contains(err.Error(), `line "`+l+`"`) {
					t.Errorf("error does not name the line %q: %v", l, err)
				}
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Errorf("error is not a *LineError: %v", err)
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

package studio_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/cli"
	"routinecast/internal/testtool"
	"routinecast/studio"
)

// TestStudioCommandServesPrintedURL runs 'routinecast studio' and reads the
// lines from the loopback URL it prints, which is useless without its token.
func TestStudioCommandServesPrintedURL(t *testing.T) {
	dir := t.TempDir()
	routine := filepath.Join(dir, "my.yaml")
	testtool.WriteFile(t, routine, studio.TinyRoutine)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	url := startStudio(t, ctx, routine, "--no-browser")
	if _, err := os.Stat(filepath.Join(dir, "my-voice", "voice.yaml")); err != nil {
		t.Errorf("without --voice, the voice is not my-voice beside the routine: %v", err)
	}
	base, _, _ := strings.Cut(url, "/?token=")
	resp, err := studio.LoopbackClient().Get(base + "/api/state")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("without the token: %s", resp.Status)
	}
	c := studio.LoopbackClient()
	if resp, err = c.Get(url); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, err = c.Get(base + "/api/state"); err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Total    int `json:"total"`
		Missing  int `json:"missing"`
		Chapters []struct {
			Title string `json:"title"`
			Lines []struct {
				Text string `json:"text"`
			} `json:"lines"`
		} `json:"chapters"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	// Missing may be anything from 20 down: the built-in engine synthesises
	// the lines not recorded yet as the studio starts.
	if st.Total != 20 || st.Missing > 20 || len(st.Chapters) != 4 || st.Chapters[1].Title != "Neck roll" || st.Chapters[1].Lines[1].Text != "Sit tall." {
		t.Errorf("state %+v", st)
	}
}

func TestStudioCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := testtool.WriteFile(t, filepath.Join(dir, "bad.yaml"), strings.Replace(studio.TinyRoutine, "reps: 2", "reps: lots", 1))
	engineVoice := filepath.Join(dir, "engine-voice")
	os.MkdirAll(engineVoice, 0o755)
	testtool.WriteFile(t, filepath.Join(engineVoice, "voice.yaml"), "name: e\nlanguage: en\nengine:\n  name: flite\n")
	good := testtool.WriteFile(t, filepath.Join(dir, "good.yaml"), studio.TinyRoutine)
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no routine":      {[]string{"studio"}, "expected one ROUTINE"},
		"missing file":    {[]string{"studio", filepath.Join(dir, "nope.yaml"), "--no-browser"}, "no such file"},
		"mistake":         {[]string{"studio", bad, "--no-browser"}, "bad.yaml:9:11: "},
		"engine's voice":  {[]string{"studio", good, "--voice", engineVoice, "--no-browser"}, "made with flite"},
		"bad address":     {[]string{"studio", good, "--addr", "127.0.0.1:99999", "--no-browser"}, "--addr"},
		"voice no engine": {[]string{"studio", good, "--engine-voice", "kal", "--no-browser"}, "--engine-voice needs --engine"},
		"unknown level":   {[]string{"studio", good, "--level", "hard", "--no-browser"}, "unknown level"},
		"unknown engine":  {[]string{"studio", good, "--engine", "nope", "--no-browser", "--voice", filepath.Join(dir, "v2")}, "nope"},
	} {
		var out, errb bytes.Buffer
		err := cli.Run(context.Background(), append([]string{"routinecast"}, tc.args...), strings.NewReader(""), &out, &errb)
		if code := cli.ExitCode(err); code != 2 || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: exit %d, %v; want exit 2 and %q", name, code, err, tc.want)
		}
	}
}

package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/job"
	"routinecast/routines"
)

// several lasts about 45 s: a dozen output segments and as many measuring
// pieces, with lines, holds and their countdowns across their edges.
const several = `title: Several
exercises:
  - name: Bridge
    reps: 3
    steps:
      - Lower back down.
      - hold: 9s
      - count: true
      - rest: 2s
`

// TestBytesDoNotDependOnCores: the export is rendered in segments on every
// core, and the file is the same byte for byte whatever GOMAXPROCS is.
func TestBytesDoNotDependOnCores(t *testing.T) {
	r, err := routines.Parse("several.yaml", []byte(several))
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first []byte
	for _, procs := range []int{1, 2, 3} {
		runtime.GOMAXPROCS(procs)
		for _, format := range []string{"mp3", "wav"} {
			p := filepath.Join(t.TempDir(), "several."+format)
			if _, err := WriteFile(context.Background(), p, job.Options{Routine: r}, Options{}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if format == "mp3" {
				if first == nil {
					first = b
				} else if !bytes.Equal(b, first) {
					t.Errorf("GOMAXPROCS=%d: the MP3 differs from GOMAXPROCS=1's", procs)
				}
			}
		}
	}
}

// TestUpToDate: an MP3 knows what it was made from; any change to that makes
// it out of date.
func TestUpToDate(t *testing.T) {
	r := routinetest.Tiny(t)
	p := filepath.Join(t.TempDir(), "tiny.mp3")
	o := job.Options{Routine: r, Level: routines.Gentle}
	j, err := job.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	if UpToDate(j, p, Options{}) {
		t.Fatal("up to date before it was written")
	}
	if _, err := WriteFile(context.Background(), p, o, Options{}); err != nil {
		t.Fatal(err)
	}
	if j, _ = job.Compile(o); !UpToDate(j, p, Options{}) {
		t.Error("not up to date right after writing it")
	}
	for name, change := range map[string]func(jo *job.Options, eo *Options){
		"bitrate":  func(_ *job.Options, eo *Options) { eo.Bitrate = 96 },
		"loudness": func(jo *job.Options, _ *Options) { jo.Mixer.Loudness.Target = -18 },
		"title":    func(_ *job.Options, eo *Options) { eo.Tags.Title = "Other" },
		"level":    func(jo *job.Options, _ *Options) { jo.Level = routines.Full },
		"cues":     func(jo *job.Options, _ *Options) { jo.Mixer.Countdown.Pitch = 1000 },
	} {
		jo, eo := o, Options{}
		change(&jo, &eo)
		j, err := job.Compile(jo)
		if err != nil {
			t.Fatal(name, err)
		}
		if UpToDate(j, p, eo) {
			t.Errorf("%s changed: still up to date", name)
		}
	}
}

// TestLowerBackLoudnessByFFmpeg: the one-pass normalisation meets the
// promise as ffmpeg's meter reads the MP3: -16 ±0.5 LUFS, true peak at most
// -1 dBTP.
func TestLowerBackLoudnessByFFmpeg(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 30-minute routine")
	}
	testtool.Require(t, "ffmpeg")
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "lower-back.mp3")
	res, err := WriteFile(context.Background(), p, job.Options{Routine: r}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ff := testtool.FFmpegLoudness(t, p, 0)
	lufs, peak := ff.Integrated, ff.TruePeak
	t.Logf("ffmpeg: %.2f LUFS, %.2f dBTP; ours: %.3f LUFS, %.2f dBTP, %d passes",
		lufs, peak, res.Loudness.Integrated, res.Loudness.TruePeak, res.Loudness.Passes)
	if lufs < -16.5 || lufs > -15.5 || peak > -1 {
		t.Errorf("ffmpeg reads %.2f LUFS, true peak %.2f dBTP", lufs, peak)
	}
	if res.Loudness.Passes != 2 {
		t.Errorf("%d passes: want one measuring pass and one render", res.Loudness.Passes)
	}
}

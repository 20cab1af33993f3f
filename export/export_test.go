package export

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/audio"
	"routinecast/audio/id3"
	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/job"
	"routinecast/routines"
)

func TestWriteFileFormats(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"tiny.wav", "tiny.flac", "tiny.mp3"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			res, err := WriteFile(context.Background(), p, job.Options{Routine: routinetest.Tiny(t), Level: routines.Gentle}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() != res.Bytes {
				t.Errorf("file has %d bytes, result says %d", st.Size(), res.Bytes)
			}
			s, f, err := audio.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := len(testtool.ReadAll(t, s, 4096))
			if f.SampleRate != 44100 {
				t.Errorf("sample rate %d", f.SampleRate)
			}
			if n != res.Timeline.Length {
				t.Errorf("decoded %d samples, the timeline has %d", n, res.Timeline.Length)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d files in the output folder, want 3 (no temporary files)", len(entries))
	}
}

func TestMP3CarriesTagsAndChapters(t *testing.T) {
	p := filepath.Join(t.TempDir(), "tiny.mp3")
	res, err := WriteFile(context.Background(), p, job.Options{Routine: routinetest.Tiny(t), Level: routines.Gentle}, Options{Tags: Tags{Artist: "Me"}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tag, err := id3.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if tag.Title != "Tiny (gentle)" || tag.Artist != "Me" || tag.Language != "eng" {
		t.Errorf("tag title %q artist %q language %q", tag.Title, tag.Artist, tag.Language)
	}
	if len(tag.Chapters) != len(res.Timeline.Chapters) || len(tag.Chapters) != 1 || tag.Chapters[0].Title != "Bridge" {
		t.Fatalf("chapters %+v, timeline %+v", tag.Chapters, res.Timeline.Chapters)
	}
	if tag.Chapters[0].End.Milliseconds() != res.Duration.Round(1e6).Milliseconds() {
		t.Errorf("last chapter ends at %v, track lasts %v", tag.Chapters[0].End, res.Duration)
	}
}

func TestFailuresLeaveNoFile(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := WriteFile(ctx, filepath.Join(dir, "cancelled.wav"), job.Options{Routine: routinetest.Tiny(t)}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := WriteFile(context.Background(), filepath.Join(dir, "x.ogg"), job.Options{Routine: routinetest.Tiny(t)}, Options{}); !errors.Is(err, ErrFormat) {
		t.Errorf("ogg: %v", err)
	}
	r, _ := routines.Parse("new.yaml", []byte(strings.Replace(routinetest.TinySource, "Lower back down.", "A line nobody recorded.", 1)))
	var missing *job.MissingClipsError
	if _, err := WriteFile(context.Background(), filepath.Join(dir, "missing.wav"), job.Options{Routine: r}, Options{}); !errors.As(err, &missing) || len(missing.Lines) != 1 {
		t.Errorf("missing clip: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

// TestLowerBackMP3 is the acceptance check: the built-in routine exports
// to an MP3 that ffmpeg and mpg123 decode cleanly, whose chapters are the
// intro, the warm-up, the nine exercises and the outro, and whose length is the
// timeline's (what show prints).
func TestLowerBackMP3(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a 25-minute routine")
	}
	ffmpeg := testtool.Require(t, "ffmpeg")
	ffprobe := testtool.Require(t, "ffprobe")
	mpg123 := testtool.Require(t, "mpg123")
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "lower-back.mp3")
	j, err := job.Compile(job.Options{Routine: r, Level: routines.Gentle})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Write(context.Background(), f, j, MP3, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// Live playback's gain, estimated without measuring, is close to the
	// measured one.
	if d := j.EstimatedGain() - res.Loudness.Gain; d > 1 || d < -1 {
		t.Errorf("estimated gain %.2f dB, measured %.2f dB", j.EstimatedGain(), res.Loudness.Gain)
	}
	if out, stderr, err := testtool.Run(t, ffmpeg, "-v", "warning", "-err_detect", "crccheck+bitstream+buffer+explode", "-i", p, "-f", "null", "-"); err != nil || len(out)+len(stderr) > 0 {
		t.Errorf("ffmpeg: %v\n%s%s", err, out, stderr)
	}
	if out, stderr, err := testtool.Run(t, mpg123, "-t", p); err != nil || bytes.Contains(append(out, stderr...), []byte("rror")) || bytes.Contains(append(out, stderr...), []byte("arning")) {
		t.Errorf("mpg123: %v\n%s%s", err, out, stderr)
	}
	out := testtool.Output(t, ffprobe, "-v", "error", "-show_chapters", "-of", "json", p)
	var probe struct {
		Chapters []struct {
			StartTime string            `json:"start_time"`
			Tags      map[string]string `json:"tags"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal(out, &probe); err != nil {
		t.Fatal(err)
	}
	want := []string{"Introduction", "Deep breathing", "Lying trunk rotation", "Supported cat-cow", "Side bend", "Child's pose",
		"Seated lumbar extension", "Seated hamstring stretch", "Bridge", "Seated marching", "All-fours stretching", "Closing"}
	var got []string
	for i, c := range probe.Chapters {
		got = append(got, c.Tags["title"])
		start, _ := strconv.ParseFloat(c.StartTime, 64)
		if wantStart := res.Timeline.Time(res.Timeline.Chapters[i].Start).Seconds(); start-wantStart > 0.001 || wantStart-start > 0.001 {
			t.Errorf("chapter %d starts at %v, the timeline says %v", i, start, wantStart)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("chapters %q\nwant %q", got, want)
	}
	// Each exercise's chapter carries its stick figure, byte for byte; the
	// introduction, the breathing and the closing carry none.
	mp3, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	chapters, tagSize := readChapters(t, mp3)
	t.Logf("tag of %d bytes", tagSize)
	if len(chapters) != len(want) {
		t.Fatalf("the tag holds %d chapters, want %d", len(chapters), len(want))
	}
	for i, c := range chapters {
		if i < 2 || i == len(chapters)-1 {
			if c.picture != nil {
				t.Errorf("chapter %q carries a picture", c.title)
			}
			continue
		}
		fig, err := r.Exercises[i-2].Image.Read()
		if err != nil {
			t.Fatal(err)
		}
		if c.title != r.Exercises[i-2].Name || c.mime != "image/png" || !bytes.Equal(c.picture, fig) {
			t.Errorf("chapter %q: %s picture of %d bytes, want %s (%d bytes)", c.title, c.mime, len(c.picture), r.Exercises[i-2].Image.Name, len(fig))
		}
	}
	if tagSize > 200<<10 {
		t.Errorf("the tag has %d bytes", tagSize)
	}
	// The decoded length, with the encoder delay and padding trimmed as the
	// Info frame says, is the timeline's to the sample.
	pcm := testtool.Output(t, ffmpeg, "-v", "error", "-i", p, "-f", "s16le", "-ac", "1", "-")
	if n := len(pcm) / 2; n != res.Timeline.Length {
		t.Errorf("ffmpeg decodes %d samples, the timeline has %d", n, res.Timeline.Length)
	}
	if res.Loudness.Integrated < -16.5 || res.Loudness.Integrated > -15.5 || res.Loudness.TruePeak > -1 {
		t.Errorf("loudness %.2f LUFS, true peak %.2f dBTP", res.Loudness.Integrated, res.Loudness.TruePeak)
	}
}

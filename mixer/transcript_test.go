package mixer

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testtool.Golden(t, filepath.Join("testdata", name), got, *update)
}

// TestGoldenTimelines lays lower-back out at every level with the stand-in
// voice (clip lengths from word counts) and compares the listing with the
// golden files, so that any change to the layout shows up in review.
func TestGoldenTimelines(t *testing.T) {
	for _, level := range routines.Levels() {
		t.Run(string(level), func(t *testing.T) {
			c := fake()
			tl := compile(t, lowerBack(t, level), c, Options{})
			var b bytes.Buffer
			if err := WriteTimeline(&b, tl); err != nil {
				t.Fatal(err)
			}
			golden(t, "lower-back-"+string(level)+".txt", b.Bytes())
			if level != routines.Standard {
				return
			}
			b.Reset()
			if err := WriteVTT(&b, tl); err != nil {
				t.Fatal(err)
			}
			golden(t, "lower-back-standard.vtt", b.Bytes())
			b.Reset()
			if err := WriteChaptersJSON(&b, tl); err != nil {
				t.Fatal(err)
			}
			golden(t, "lower-back-standard.chapters.json", b.Bytes())
		})
	}
}

func TestChaptersJSON(t *testing.T) {
	c := fake()
	tl := compile(t, lowerBack(t, routines.Standard), c, Options{})
	var b bytes.Buffer
	if err := WriteChaptersJSON(&b, tl); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version  string
		Chapters []struct {
			StartTime float64
			Title     string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "1.2.0" || len(doc.Chapters) != len(tl.Chapters) || len(doc.Chapters) < 10 {
		t.Fatalf("version %q, %d chapters; want 1.2.0 and %d", doc.Version, len(doc.Chapters), len(tl.Chapters))
	}
	sections := 0
	for _, cue := range lowerBack(t, routines.Standard).Cues {
		if cue.Kind == routines.Chapter {
			sections++
		}
	}
	if len(doc.Chapters) != sections {
		t.Errorf("%d chapters, the script has %d sections", len(doc.Chapters), sections)
	}
	for i, ch := range doc.Chapters {
		want := float64(tl.Chapters[i].Start) / sr
		if d := ch.StartTime - want; d < -0.0005 || d > 0.0005 || ch.Title != tl.Chapters[i].Title {
			t.Errorf("chapter %d: %q at %g s, want %q at %g s", i, ch.Title, ch.StartTime, tl.Chapters[i].Title, want)
		}
		if i > 0 && ch.StartTime < doc.Chapters[i-1].StartTime {
			t.Errorf("chapter %d starts before the one before it", i)
		}
	}
}

// TestVTTWithFFprobe has ffprobe read the transcript: every cue must be there,
// at the time of its line, to the millisecond.
func TestVTTWithFFprobe(t *testing.T) {
	ffprobe := testtool.Require(t, "ffprobe")
	c := fake()
	s := mixed()
	s.Cues = append(s.Cues, say("Tricky <b>text</b> & an arrow -->, and\nsecond line."))
	tl := compile(t, s, c, Options{})
	path := filepath.Join(t.TempDir(), "t.vtt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteVTT(f, tl); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := testtool.Output(t, ffprobe, "-v", "error", "-of", "csv=p=0", "-show_entries", "packet=pts_time,duration_time", path)
	rows := strings.Fields(string(out))
	if len(rows) != len(tl.Lines) {
		t.Fatalf("ffprobe reads %d cues, the timeline has %d lines:\n%s", len(rows), len(tl.Lines), out)
	}
	for i, row := range rows {
		parts := strings.Split(row, ",")
		start, err1 := strconv.ParseFloat(parts[0], 64)
		dur, err2 := strconv.ParseFloat(parts[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("ffprobe row %q", row)
		}
		l := tl.Lines[i]
		ws, we := float64(l.Start)/sr, float64(l.End)/sr
		if d := start - ws; d < -0.0006 || d > 0.0006 {
			t.Errorf("cue %d starts at %g s, its line at %g s", i+1, start, ws)
		}
		if d := start + dur - we; d < -0.0011 || d > 0.0011 {
			t.Errorf("cue %d ends at %g s, its line at %g s", i+1, start+dur, we)
		}
	}
	raw, _ := os.ReadFile(path)
	if !strings.Contains(string(raw), "Tricky &lt;b&gt;text&lt;/b&gt; &amp; an arrow --&gt;, and second line.") {
		t.Errorf("the tricky line is not escaped:\n%s", raw)
	}
}

func ExampleWriteChaptersJSON() {
	tl := &Timeline{Title: "Evening stretch", SampleRate: 44100, Chapters: []Chapter{
		{Title: "Introduction", Start: 22050},
		{Title: "Cat-cow", Start: 44100 * 75},
	}}
	WriteChaptersJSON(os.Stdout, tl)
	// Output:
	// {
	//   "version": "1.2.0",
	//   "title": "Evening stretch",
	//   "chapters": [
	//     {
	//       "startTime": 0.5,
	//       "title": "Introduction"
	//     },
	//     {
	//       "startTime": 75,
	//       "title": "Cat-cow"
	//     }
	//   ]
	// }
}

func ExampleWriteVTT() {
	tl := &Timeline{SampleRate: 44100, Lines: []Line{
		{Text: "Lie on your back.", Start: 22050, End: 22050 + 44100*2},
		{Text: "Knees to the left.", Start: 44100 * 3661, End: 44100*3662 + 441},
	}}
	WriteVTT(os.Stdout, tl)
	// Output:
	// WEBVTT
	//
	// 1
	// 00:00:00.500 --> 00:00:02.500
	// Lie on your back.
	//
	// 2
	// 01:01:01.000 --> 01:01:02.010
	// Knees to the left.
}

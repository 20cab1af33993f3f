package id3

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// goldenTag is written to testdata/routinecast.id3 (see TestGoldenFile).
// Its cover is only a PNG signature: Bytes checks no more.
var goldenTag = Tag{
	Title: "Lower back — morning", Artist: "routinecast", Album: "Stretches",
	Track: 1, TrackTotal: 3, Date: "2026-11-05T07:30:00", Language: "eng",
	Comment: "Eight gentle stretches.", Encoder: "routinecast",
	Cover: []byte("\x89PNG\r\n\x1a\nnot a real picture"),
	Chapters: []Chapter{
		{Title: "Warm-up", Start: 0, End: 90 * time.Second},
		{Title: "Knee to chest", Start: 90 * time.Second, End: 200500 * ms},
	},
}

// TestGoldenFile keeps what Bytes writes from changing unnoticed; run with
// -update to accept a deliberate change.
func TestGoldenFile(t *testing.T) {
	name := filepath.Join("testdata", "routinecast.id3")
	got, err := goldenTag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(name, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Bytes() differs from %s\n got % x\nwant % x", name, got, want)
	}
}

// FuzzRead checks that Read never panics or hangs, and that whatever it
// reads and Bytes accepts reads back the same.
func FuzzRead(f *testing.F) {
	testtool.AddSeeds(f, filepath.Join("testdata", "*.id3"))
	for _, tag := range []Tag{
		{Title: "x"},
		{Comment: "c", Language: "eng", Chapters: []Chapter{{Title: "a", End: time.Second}}},
		{Title: "x", Chapters: []Chapter{{Title: "a", End: time.Second, Picture: append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 200)...)}}},
	} {
		b, err := tag.Bytes()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tag, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		b, err := tag.Bytes()
		if err != nil {
			return // other writers' tags may hold what Bytes refuses
		}
		again, err := Read(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("Read(Bytes()) of %+v: %v", tag, err)
		}
		if !reflect.DeepEqual(again, tag) {
			t.Fatalf("round trip changed the tag\n got %+v\nwant %+v", again, tag)
		}
	})
}

package export

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/job"
	"routinecast/routines"
)

// pictured is a routine the embedded voice can say, with an intro and an
// outro, an exercise with a small PNG drawing, one with a photo far larger
// than a chapter carries, and one without a picture.
const pictured = `title: Pictured
intro:
  - Welcome. This is a gentle routine of nine stretches and exercises for a sore lower back.
exercises:
  - name: Bridge
    image: bridge.png
    steps:
      - Lower back down.
      - hold: 2s
  - name: Side bend
    image: photos/side.jpg
    steps:
      - Lower back down.
      - hold: 2s
  - name: Seated marching
    steps:
      - Lower back down.
      - hold: 2s
outro:
  - That's the whole routine. Take a moment to notice how your back feels.
`

// halves is a w×h picture, red on the left and blue on the right, with
// noise that JPEG cannot compress away.
func halves(w, h int, noise bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 30, 30, 255}
			if x >= w/2 {
				c = color.RGBA{30, 30, 200, 255}
			}
			if noise {
				d := uint8(rng.IntN(40))
				c.R, c.G, c.B = c.R-d/2, c.G+d/2, c.B-d/2
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// id3Chapter is a CHAP frame as the test reads it, apart from package id3.
type id3Chapter struct {
	title       string
	mime        string
	pictureType byte
	picture     []byte
}

// readChapters walks the ID3v2.4 tag at the start of an MP3 and returns its
// chapters with their TIT2 and APIC sub-frames.
func readChapters(t *testing.T, mp3 []byte) (chapters []id3Chapter, tagSize int) {
	t.Helper()
	syncsafe := func(b []byte) int { return int(b[0])<<21 | int(b[1])<<14 | int(b[2])<<7 | int(b[3]) }
	if len(mp3) < 10 || string(mp3[:3]) != "ID3" || mp3[3] != 4 {
		t.Fatalf("no ID3v2.4 tag at the start: % x", mp3[:min(10, len(mp3))])
	}
	tagSize = 10 + syncsafe(mp3[6:10])
	frames := func(b []byte, each func(id string, body []byte)) {
		for len(b) >= 10 && b[0] >= 'A' && b[0] <= 'Z' {
			id, n := string(b[:4]), syncsafe(b[4:8])
			if 10+n > len(b) {
				t.Fatalf("frame %s of %d bytes runs past its container (%d left)", id, n, len(b)-10)
			}
			each(id, b[10:10+n])
			b = b[10+n:]
		}
		for _, c := range b {
			if c != 0 {
				t.Fatalf("%d bytes after the frames are not padding", len(b))
			}
		}
	}
	frames(mp3[10:tagSize], func(id string, body []byte) {
		if id != "CHAP" {
			return
		}
		_, rest, _ := bytes.Cut(body, []byte{0})
		var c id3Chapter
		frames(rest[16:], func(id string, sub []byte) {
			switch id {
			case "TIT2":
				c.title = string(sub[1:])
			case "APIC":
				if sub[0] != 3 {
					t.Fatalf("APIC text encoding %d, want UTF-8 (3)", sub[0])
				}
				mime, rest, _ := bytes.Cut(sub[1:], []byte{0})
				c.mime, c.pictureType = string(mime), rest[0]
				_, c.picture, _ = bytes.Cut(rest[1:], []byte{0})
			}
		})
		chapters = append(chapters, c)
	})
	return chapters, tagSize
}

// TestChapterPictures exports a routine with pictures and reads the MP3's
// tag byte by byte: each exercise's chapter carries its picture, small
// enough, of the right type and showing the exercise; the intro, the outro
// and the exercise without a picture carry none; ffprobe still lists every
// chapter.
func TestChapterPictures(t *testing.T) {
	dir := t.TempDir()
	var drawing, photo bytes.Buffer
	if err := png.Encode(&drawing, halves(120, 80, false)); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&photo, halves(1600, 1200, true), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if photo.Len() < 10*MaxChapterPicture {
		t.Fatalf("the photo has only %d bytes", photo.Len())
	}
	for name, b := range map[string][]byte{"routine.yaml": []byte(pictured), "bridge.png": drawing.Bytes(), "photos/side.jpg": photo.Bytes()} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := routines.Load(filepath.Join(dir, "routine.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "pictured.mp3")
	res, err := WriteFile(context.Background(), out, job.Options{Routine: r, Level: routines.Gentle}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mp3, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	chapters, tagSize := readChapters(t, mp3)
	t.Logf("tag of %d bytes: photo of %d bytes, drawing of %d", tagSize, photo.Len(), drawing.Len())
	var titles []string
	for _, c := range chapters {
		titles = append(titles, c.title)
	}
	if got, want := strings.Join(titles, "|"), "Introduction|Bridge|Side bend|Seated marching|Closing"; got != want {
		t.Fatalf("chapters %q, want %q", got, want)
	}
	for _, i := range []int{0, 3, 4} {
		if chapters[i].picture != nil || chapters[i].mime != "" {
			t.Errorf("chapter %q carries a picture (%s, %d bytes)", chapters[i].title, chapters[i].mime, len(chapters[i].picture))
		}
	}
	// The drawing fits: it goes in byte for byte.
	if c := chapters[1]; c.mime != "image/png" || c.pictureType != 0 || !bytes.Equal(c.picture, drawing.Bytes()) {
		t.Errorf("Bridge: %s picture of type %d and %d bytes, want the %d bytes of bridge.png", c.mime, c.pictureType, len(c.picture), drawing.Len())
	}
	// The photo is scaled down to fit, and still shows red on the left and
	// blue on the right, in its proportions.
	c := chapters[2]
	if c.mime != "image/jpeg" || len(c.picture) > MaxChapterPicture || len(c.picture) == 0 {
		t.Fatalf("Side bend: %s picture of %d bytes, want a JPEG of at most %d", c.mime, len(c.picture), MaxChapterPicture)
	}
	img, format, err := image.Decode(bytes.NewReader(c.picture))
	if err != nil || format != "jpeg" {
		t.Fatalf("Side bend's picture does not decode as a JPEG: %v (%s)", err, format)
	}
	b := img.Bounds()
	t.Logf("Side bend's picture: %dx%d, %d bytes", b.Dx(), b.Dy(), len(c.picture))
	if b.Dx()*3 != b.Dy()*4 || b.Dx() < 160 {
		t.Errorf("Side bend's picture is %dx%d, want 4:3 and at least 160 wide", b.Dx(), b.Dy())
	}
	left, right := img.At(b.Dx()/4, b.Dy()/2), img.At(3*b.Dx()/4, b.Dy()/2)
	lr, _, lb, _ := left.RGBA()
	rr, _, rb, _ := right.RGBA()
	if lr < 2*lb || rb < 2*rr {
		t.Errorf("Side bend's picture is %v on the left and %v on the right, want red and blue", left, right)
	}
	if _, err := png.DecodeConfig(bytes.NewReader(chapters[1].picture)); err != nil {
		t.Errorf("Bridge's picture: %v", err)
	}

	// Left out on request.
	bare := filepath.Join(t.TempDir(), "bare.mp3")
	if _, err := WriteFile(context.Background(), bare, job.Options{Routine: r, Level: routines.Gentle}, Options{Tags: Tags{NoChapterPictures: true}}); err != nil {
		t.Fatal(err)
	}
	b3, err := os.ReadFile(bare)
	if err != nil {
		t.Fatal(err)
	}
	without, size := readChapters(t, b3)
	for _, c := range without {
		if c.picture != nil {
			t.Errorf("NoChapterPictures: chapter %q carries a picture", c.title)
		}
	}
	t.Logf("without pictures the tag has %d bytes", size)

	// ffprobe reads every chapter with its title, where the timeline has it.
	ffprobe := testtool.Require(t, "ffprobe")
	var probe struct {
		Chapters []struct {
			Start int64             `json:"start"`
			Tags  map[string]string `json:"tags"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal(testtool.Output(t, ffprobe, "-v", "error", "-show_chapters", "-of", "json", out), &probe); err != nil {
		t.Fatal(err)
	}
	if len(probe.Chapters) != len(chapters) {
		t.Fatalf("ffprobe lists %d chapters, the tag holds %d", len(probe.Chapters), len(chapters))
	}
	for i, pc := range probe.Chapters {
		start := res.Timeline.Time(res.Timeline.Chapters[i].Start).Round(time.Millisecond)
		if pc.Tags["title"] != titles[i] || pc.Start != start.Milliseconds() {
			t.Errorf("ffprobe chapter %d: %q at %d ms, want %q at %v", i, pc.Tags["title"], pc.Start, titles[i], start)
		}
	}
}

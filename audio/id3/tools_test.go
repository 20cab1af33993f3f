package id3

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/hajimehoshi/go-mp3"

	"routinecast/internal/testtool"
)

// toolTag is the tag that the real tools must read back. A chapter's
// picture must not hide the chapter, nor pass for the cover.
func toolTag(t *testing.T) Tag {
	return Tag{
		Title: "Lower back — morning", Artist: "routinecast", Album: "Stretches",
		Track: 2, TrackTotal: 7, Date: "2026-11-05", Language: "eng",
		Comment: "Eight gentle stretches ✓", Encoder: "lame -b 64",
		Cover: testPNG(t),
		Chapters: []Chapter{
			{Title: "Warm-up", Start: 0, End: 1250 * ms},
			{Title: "Cat–cow", Start: 1250 * ms, End: 2500 * ms, Picture: testJPEG(t)},
			{Title: "Knee to chest", Start: 2500 * ms, End: 3000 * ms},
		},
	}
}

// toneMP3 encodes 3 s of a 440 Hz tone with lame and returns the MP3 bytes.
func toneMP3(t *testing.T, lame string) []byte {
	t.Helper()
	dir := t.TempDir()
	wav, out := filepath.Join(dir, "tone.wav"), filepath.Join(dir, "tone.mp3")
	if err := os.WriteFile(wav, toneWAV(44100, 3*44100, 440), 0o644); err != nil {
		t.Fatal(err)
	}
	testtool.Output(t, lame, "--quiet", "-b", "64", wav, out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(b, []byte("ID3")) {
		t.Fatal("lame wrote an ID3 tag of its own; the test needs bare audio")
	}
	return b
}

// toneWAV returns a 16-bit mono WAV file of a sine tone at half scale.
func toneWAV(rate, n int, freq float64) []byte {
	s := make([][2]float64, n)
	for i := range s {
		v := 0.5 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
		s[i] = [2]float64{v, v}
	}
	return testtool.WAV(rate, 1, s)
}

// writeTagged writes the tag followed by the audio and returns the path.
func writeTagged(t *testing.T, tag Tag, audio []byte) string {
	t.Helper()
	b, err := tag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tagged.mp3")
	if err := os.WriteFile(path, append(b, audio...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type probe struct {
	Chapters []struct {
		TimeBase string            `json:"time_base"`
		Start    int64             `json:"start"`
		End      int64             `json:"end"`
		Tags     map[string]string `json:"tags"`
	} `json:"chapters"`
	Streams []struct {
		CodecType   string         `json:"codec_type"`
		CodecName   string         `json:"codec_name"`
		Disposition map[string]int `json:"disposition"`
		Tags        map[string]string
	} `json:"streams"`
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

func ffprobe(t *testing.T, path string) probe {
	t.Helper()
	out := testtool.Output(t, testtool.Require(t, "ffprobe"), "-v", "error", "-show_chapters", "-show_format", "-show_streams", "-of", "json", path)
	var p probe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe output: %v\n%s", err, out)
	}
	return p
}

// TestFFprobe checks that ffprobe reads every field of a tag in front of a
// LAME-encoded MP3, and that the audio is untouched by it.
func TestFFprobe(t *testing.T) {
	lame := testtool.Require(t, "lame")
	testtool.Require(t, "ffprobe")
	audio := toneMP3(t, lame)
	tag := toolTag(t)
	path := writeTagged(t, tag, audio)
	p := ffprobe(t, path)

	wantTags := map[string]string{
		"title": tag.Title, "artist": tag.Artist, "album": tag.Album, "track": "2/7",
		"date": tag.Date, "language": tag.Language, "comment": tag.Comment, "encoder": tag.Encoder,
	}
	for k, v := range wantTags {
		if got := p.Format.Tags[k]; got != v {
			t.Errorf("ffprobe tag %s = %q, want %q", k, got, v)
		}
	}
	if len(p.Chapters) != len(tag.Chapters) {
		t.Fatalf("ffprobe lists %d chapters, want %d: %+v", len(p.Chapters), len(tag.Chapters), p.Chapters)
	}
	for i, c := range p.Chapters {
		want := tag.Chapters[i]
		if c.TimeBase != "1/1000" || c.Start != want.Start.Milliseconds() || c.End != want.End.Milliseconds() || c.Tags["title"] != want.Title {
			t.Errorf("chapter %d: ffprobe has %s [%d, %d] %q, want 1/1000 [%d, %d] %q", i,
				c.TimeBase, c.Start, c.End, c.Tags["title"], want.Start.Milliseconds(), want.End.Milliseconds(), want.Title)
		}
	}
	var audioStreams, covers int
	for _, s := range p.Streams {
		switch {
		case s.CodecType == "audio" && s.CodecName == "mp3":
			audioStreams++
		case s.CodecType == "video" && s.CodecName == "png" && s.Disposition["attached_pic"] == 1:
			covers++
			if s.Tags["comment"] != "Cover (front)" {
				t.Errorf("cover picture type is %q, want %q", s.Tags["comment"], "Cover (front)")
			}
		}
	}
	if audioStreams != 1 || covers != 1 {
		t.Errorf("ffprobe streams: %d mp3 audio and %d attached PNG pictures, want 1 and 1: %+v", audioStreams, covers, p.Streams)
	}

	// The tag must not change how the audio is read.
	bare := filepath.Join(t.TempDir(), "bare.mp3")
	if err := os.WriteFile(bare, audio, 0o644); err != nil {
		t.Fatal(err)
	}
	if want := ffprobe(t, bare).Format.Duration; p.Format.Duration != want || p.Format.FormatName != "mp3" {
		t.Errorf("tagged file: format %s, duration %s s; the bare MP3 lasts %s s", p.Format.FormatName, p.Format.Duration, want)
	}
}

// TestGoMP3 checks that the go-mp3 decoder skips the tag: the tagged file
// decodes to exactly the samples of the bare one.
func TestGoMP3(t *testing.T) {
	audio := toneMP3(t, testtool.Require(t, "lame"))
	tag := toolTag(t)
	b, err := tag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	decode := func(in []byte) []byte {
		d, err := mp3.NewDecoder(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if _, err := out.ReadFrom(d); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	bare, tagged := decode(audio), decode(append(b, audio...))
	if len(bare) < 3*44100*4 || !bytes.Equal(bare, tagged) {
		t.Errorf("go-mp3 decoded %d bytes from the bare MP3 and %d (equal: %v) from the tagged one",
			len(bare), len(tagged), bytes.Equal(bare, tagged))
	}
}

// TestMediainfo checks the fields that mediainfo reads. mediainfo (checked
// with 23.04) does not parse ID3v2 CHAP or CTOC frames, not even ffmpeg's,
// so it cannot list chapters; ffprobe does (TestFFprobe).
func TestMediainfo(t *testing.T) {
	mediainfo := testtool.Require(t, "mediainfo")
	audio := toneMP3(t, testtool.Require(t, "lame"))
	tag := toolTag(t)
	out := testtool.Output(t, mediainfo, "--Output=JSON", writeTagged(t, tag, audio))
	var mi struct {
		Media struct {
			Track []map[string]any `json:"track"`
		} `json:"media"`
	}
	if err := json.Unmarshal(out, &mi); err != nil {
		t.Fatalf("mediainfo output: %v\n%s", err, out)
	}
	var general, audioTrack map[string]any
	for _, tr := range mi.Media.Track {
		switch tr["@type"] {
		case "General":
			general = tr
		case "Audio":
			audioTrack = tr
		}
	}
	if general == nil || audioTrack == nil {
		t.Fatalf("mediainfo found no General or Audio track:\n%s", out)
	}
	want := map[string]string{
		"Title": tag.Title, "Album": tag.Album, "Performer": tag.Artist,
		"Track_Position": strconv.Itoa(tag.Track), "Track_Position_Total": strconv.Itoa(tag.TrackTotal),
		"Recorded_Date": tag.Date, "Comment": tag.Comment, "Cover": "Yes", "Cover_Type": "Cover (front)", "Cover_Mime": "image/png",
	}
	got := map[string]string{}
	for k := range want {
		if v, ok := general[k].(string); ok {
			got[k] = v
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mediainfo General\n got %q\nwant %q\nfull output:\n%s", got, want, out)
	}
	if audioTrack["Format"] != "MPEG Audio" || audioTrack["Language"] != "en" {
		t.Errorf("mediainfo Audio: format %v, language %v; want MPEG Audio, en", audioTrack["Format"], audioTrack["Language"])
	}
}

package id3

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite testdata/ffmpeg-*.id3 with the installed ffmpeg")

// ffmpegMetadata is what the testdata tags were made from.
const ffmpegMetadata = `;FFMETADATA1
title=Lower back — morning
artist=routinecast
album=Stretches
track=2/7
date=2026
comment=Gentle stretches
language=eng
[CHAPTER]
TIMEBASE=1/1000
START=0
END=1250
title=Warm-up
[CHAPTER]
TIMEBASE=1/1000
START=1250
END=3000
title=Cat–cow ✓
`

// TestReadFFmpeg reads tags that ffmpeg wrote: v2.3 (UTF-16 text where it is
// not ASCII, plain sizes, TYER) and v2.4. ffmpeg puts the comment in a TXXX
// frame, which Read does not take for the description.
func TestReadFFmpeg(t *testing.T) {
	want := Tag{
		Title: "Lower back — morning", Artist: "routinecast", Album: "Stretches",
		Track: 2, TrackTotal: 7, Date: "2026", Language: "eng",
		Chapters: []Chapter{
			{Title: "Warm-up", Start: 0, End: 1250 * ms},
			{Title: "Cat–cow ✓", Start: 1250 * ms, End: 3000 * ms},
		},
	}
	for _, version := range []string{"3", "4"} {
		name := filepath.Join("testdata", "ffmpeg-v2."+version+".id3")
		t.Run(filepath.Base(name), func(t *testing.T) {
			if *update {
				writeFFmpegTag(t, version, name)
			}
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if b[3] != version[0]-'0' {
				t.Fatalf("%s holds an ID3v2.%d tag", name, b[3])
			}
			got, err := Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got.Encoder, "Lavf") {
				t.Errorf("encoder %q, want ffmpeg's Lavf...", got.Encoder)
			}
			got.Encoder = ""
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got %+v\nwant %+v", *got, want)
			}
		})
	}
}

// writeFFmpegTag has ffmpeg tag a short MP3 and keeps the tag only.
func writeFFmpegTag(t *testing.T, version, name string) {
	ffmpeg := testtool.Require(t, "ffmpeg")
	dir := t.TempDir()
	meta, out := filepath.Join(dir, "meta.txt"), filepath.Join(dir, "out.mp3")
	testtool.WriteFile(t, meta, ffmpegMetadata)
	testtool.Output(t, ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=0.1",
		"-i", meta, "-map_metadata", "1", "-map_chapters", "1",
		"-c:a", "libmp3lame", "-b:a", "32k", "-ac", "1", "-id3v2_version", version, out)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	size, ok := syncsafe(b[6:10])
	if string(b[:3]) != "ID3" || !ok || b[5] != 0 {
		t.Fatalf("ffmpeg wrote no plain ID3v2 tag: % x", b[:10])
	}
	if err := os.WriteFile(name, b[:headerSize+size], 0o644); err != nil {
		t.Fatal(err)
	}
}

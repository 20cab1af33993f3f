package export

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"routinecast/audio/id3"
	"routinecast/internal/buildid"
	"routinecast/job"
)

// An MP3 export records in its ID3 tag (TSSE, the encoder and its settings)
// a fingerprint of everything that went into it, so that exporting the same
// thing again can tell at once that the file already holds it, as a build
// tool would, instead of rendering it again.

// encoderPrefix starts the TSSE text of a fingerprinted export.
const encoderPrefix = "routinecast; render "

// fingerprint identifies what Write writes of j in format with o: this program's build,
// the timeline (every event at its sample, the lines and chapters), the
// clip files it plays, the music, the loudness target and the encoding and
// tags (tag, whose Encoder it leaves out). Two jobs with one fingerprint
// write the same bytes.
func fingerprint(j *job.Job, format Format, o Options, tag *id3.Tag) string {
	tl := j.Timeline
	h := sha256.New()
	field := func(name string, v any) { fmt.Fprintf(h, "%s=%v\n", name, v) }
	field("build", buildid.ID())
	field("format", format)
	field("rate", tl.SampleRate)
	field("channels", tl.Channels)
	field("length", tl.Length)
	field("title", tl.Title)
	field("bitrate", o.bitrate(tl.Channels))
	field("loudness", fmt.Sprintf("%+v", tl.Options.Loudness))
	music := tl.Options.Music
	music.Source = nil
	field("music options", fmt.Sprintf("%+v", music))
	for _, e := range tl.Events {
		field("event", fmt.Sprintf("%+v", e))
	}
	for _, c := range tl.Chapters {
		field("chapter", fmt.Sprintf("%+v", c))
	}
	seen := map[string]bool{}
	for _, e := range tl.Events {
		if e.Kind.Voice() && !seen[e.Text] {
			seen[e.Text] = true
			field("clip", j.Voice.ClipStamp(e.Text))
		}
	}
	switch m := j.Options.Music; {
	case job.IsBed(m):
		field("music bed", m) // made by the program: the build stamps it
	case m != "":
		field("music", fileStamp(m))
	}
	untagged := *tag
	untagged.Encoder = ""
	b, err := untagged.Bytes()
	if err != nil {
		field("tag error", err) // the export will fail anyway
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// UpToDate reports whether the MP3 at path is what Write would write of j
// with o: its tag carries their fingerprint. Files are written whole or not
// at all, so a file with the tag is complete.
func UpToDate(j *job.Job, path string, o Options) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	t, err := id3.Read(io.LimitReader(f, 64<<20))
	if err != nil {
		return false
	}
	tag, err := tags(j, o)
	if err != nil {
		return false
	}
	return t.Encoder == encoderPrefix+fingerprint(j, MP3, o, tag)
}

// fileStamp names a file's identity cheaply: its size and time of change.
func fileStamp(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return path + ": " + err.Error()
	}
	return fmt.Sprintf("%s %d %d", path, fi.Size(), fi.ModTime().UnixNano())
}

package id3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Tag is the metadata of one MP3 file. Empty fields are left out of the tag.
type Tag struct {
	Title  string // TIT2
	Artist string // TPE1
	Album  string // TALB

	// Track and TrackTotal go to TRCK as "3" or "3/12". Zero means unset;
	// a total needs a track.
	Track, TrackTotal int

	// Date is the recording time (TDRC), an ID3v2.4 timestamp:
	// yyyy, yyyy-MM, yyyy-MM-dd, yyyy-MM-ddTHH, yyyy-MM-ddTHH:mm or
	// yyyy-MM-ddTHH:mm:ss.
	Date string

	// Language is the spoken language (TLAN) as an ISO 639-2 code, three
	// lowercase letters such as "eng". It is also the comment's language
	// ("und", undetermined, when empty).
	Language string

	// Comment is the description (COMM with an empty content descriptor),
	// which is where podcast apps look.
	Comment string

	// Encoder names the software and settings that made the audio (TSSE).
	Encoder string

	// Cover is a PNG or JPEG picture, written as the front cover (APIC,
	// picture type 3) with the MIME type detected from its bytes.
	Cover []byte

	// Chapters must be in order, each ending after it starts and none
	// overlapping the next. At most 255 (the CTOC entry count is one byte).
	Chapters []Chapter
}

// Chapter is one chapter of the audio. Times are written in whole
// milliseconds, rounded to the nearest; they must be below 2^32 ms (49 days).
type Chapter struct {
	Title      string
	Start, End time.Duration
	// Picture is a PNG or JPEG that players which show chapter art show
	// while the chapter plays (an APIC sub-frame of the CHAP frame), or nil.
	Picture []byte
}

const (
	headerSize   = 10
	maxSyncsafe  = 1<<28 - 1 // largest size a 4-byte syncsafe integer holds
	maxChapters  = 255
	tocElementID = "toc"
	encodingUTF8 = 0x03
	pictureOther = 0x00 // a chapter's picture: neither a cover nor any other listed type
	pictureFront = 0x03
	unusedOffset = 0xFFFFFFFF
)

// ErrEmpty is returned by [Tag.Bytes] for a tag without any field set: ID3v2
// requires at least one frame, so such a file should simply carry no tag.
var ErrEmpty = errors.New("id3: empty tag: a tag must hold at least one frame")

// Bytes returns the tag, header included, ready to be written in front of
// the MP3 audio. It validates the tag first and reports every problem at
// once.
func (t *Tag) Bytes() ([]byte, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	var frames []byte
	text := func(id, value string) {
		if value != "" {
			frames = appendFrame(frames, id, append([]byte{encodingUTF8}, value...))
		}
	}
	text("TIT2", t.Title)
	text("TPE1", t.Artist)
	text("TALB", t.Album)
	if t.Track > 0 {
		trck := strconv.Itoa(t.Track)
		if t.TrackTotal > 0 {
			trck += "/" + strconv.Itoa(t.TrackTotal)
		}
		text("TRCK", trck)
	}
	text("TDRC", t.Date)
	text("TLAN", t.Language)
	text("TSSE", t.Encoder)
	if t.Comment != "" {
		lang := t.Language
		if lang == "" {
			lang = "und"
		}
		body := append([]byte{encodingUTF8}, lang...)
		body = append(body, 0) // empty content descriptor
		body = append(body, t.Comment...)
		frames = appendFrame(frames, "COMM", body)
	}
	if len(t.Chapters) > 0 {
		// The table of contents comes before the chapters it lists, as
		// the addendum's example does; readers do not depend on it.
		body := append([]byte(tocElementID), 0, 0x03, byte(len(t.Chapters))) // flags: top-level (bit 1), ordered (bit 0)
		for i := range t.Chapters {
			body = append(body, chapterID(i)...)
			body = append(body, 0)
		}
		frames = appendFrame(frames, "CTOC", body)
		for i, c := range t.Chapters {
			body := append([]byte(chapterID(i)), 0)
			body = binary.BigEndian.AppendUint32(body, uint32(millis(c.Start)))
			body = binary.BigEndian.AppendUint32(body, uint32(millis(c.End)))
			body = binary.BigEndian.AppendUint32(body, unusedOffset)
			body = binary.BigEndian.AppendUint32(body, unusedOffset)
			if c.Title != "" {
				body = appendFrame(body, "TIT2", append([]byte{encodingUTF8}, c.Title...))
			}
			if len(c.Picture) > 0 {
				pic := pictureBody(c.Picture, pictureOther)
				body = appendFrame(body, "APIC", pic)
				body = append(body, make([]byte, misreadSize(len(pic))-len(pic))...)
			}
			frames = appendFrame(frames, "CHAP", body)
		}
	}
	if len(t.Cover) > 0 {
		frames = appendFrame(frames, "APIC", pictureBody(t.Cover, pictureFront))
	}
	if len(frames) == 0 {
		return nil, ErrEmpty
	}
	if len(frames) > maxSyncsafe {
		return nil, fmt.Errorf("id3: tag of %d bytes exceeds the ID3v2 limit of %d", len(frames), maxSyncsafe)
	}
	out := make([]byte, 0, headerSize+len(frames))
	out = append(out, 'I', 'D', '3', 4, 0, 0) // version 2.4.0, no flags
	out = appendSyncsafe(out, len(frames))
	return append(out, frames...), nil
}

// WriteTo writes the tag to w; it implements [io.WriterTo].
func (t *Tag) WriteTo(w io.Writer) (int64, error) {
	b, err := t.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	if err != nil {
		err = fmt.Errorf("id3: writing tag: %w", err)
	}
	return int64(n), err
}

// appendFrame appends a v2.4 frame header (syncsafe size, no flags) and body.
// Sizes beyond the syncsafe range are caught on the whole tag, which is
// always larger than any of its frames.
func appendFrame(b []byte, id string, body []byte) []byte {
	b = append(b, id...)
	b = appendSyncsafe(b, min(len(body), maxSyncsafe))
	b = append(b, 0, 0)
	return append(b, body...)
}

// pictureBody is an APIC frame's body for a picture validated as PNG or JPEG.
func pictureBody(pic []byte, ptype byte) []byte {
	mime, _ := pictureMIME(pic)
	body := append([]byte{encodingUTF8}, mime...)
	body = append(body, 0, ptype, 0) // MIME end, type, empty description
	return append(body, pic...)
}

// misreadSize is the size a reader that takes a sub-frame's syncsafe size
// for a plain integer reads: ffmpeg does so in chapters (libavformat's
// read_chapter), and drops a chapter whose sub-frame then seems to run past
// its end. So the picture, the last sub-frame, is followed by zeros up to that
// size: ffmpeg skips them as part of the picture, and readers that follow the
// standard stop at them as padding. Below 128 bytes the two sizes agree; up to
// 16 KB the misread size is at most twice the real one.
func misreadSize(n int) int {
	return int(binary.BigEndian.Uint32(appendSyncsafe(nil, n)))
}

// appendSyncsafe appends n as four bytes of seven bits each (bit 7 clear).
func appendSyncsafe(b []byte, n int) []byte {
	return append(b, byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F))
}

func chapterID(i int) string { return "chp" + strconv.Itoa(i) }

// millis rounds d to the nearest millisecond.
func millis(d time.Duration) int64 {
	return int64(d.Round(time.Millisecond) / time.Millisecond)
}

// pictureMIME detects PNG and JPEG from their signatures.
func pictureMIME(b []byte) (string, bool) {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", true
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", true
	}
	return "", false
}

func (t *Tag) validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("id3: "+format, a...)) }
	checkText := func(field, s string) {
		if !utf8.ValidString(s) {
			bad("%s %q is not valid UTF-8", field, s)
		}
		if strings.IndexByte(s, 0) >= 0 {
			bad("%s %q contains a NUL character", field, s)
		}
	}
	checkText("title", t.Title)
	checkText("artist", t.Artist)
	checkText("album", t.Album)
	checkText("comment", t.Comment)
	checkText("encoder", t.Encoder)
	switch {
	case t.Track < 0 || t.TrackTotal < 0:
		bad("track %d of %d: numbers must not be negative", t.Track, t.TrackTotal)
	case t.TrackTotal > 0 && t.Track == 0:
		bad("track total %d given without a track number", t.TrackTotal)
	case t.TrackTotal > 0 && t.Track > t.TrackTotal:
		bad("track %d is beyond the track total %d", t.Track, t.TrackTotal)
	}
	if t.Date != "" && !validDate(t.Date) {
		bad("date %q is not an ID3v2.4 timestamp (yyyy, yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss, ...)", t.Date)
	}
	if t.Language != "" && !validLanguage(t.Language) {
		bad("language %q is not an ISO 639-2 code (three lowercase letters, such as \"eng\")", t.Language)
	}
	if len(t.Cover) > 0 {
		if _, ok := pictureMIME(t.Cover); !ok {
			bad("cover art is neither PNG nor JPEG")
		}
		if len(t.Cover) > maxSyncsafe {
			bad("cover art of %d bytes exceeds the ID3v2 limit of %d bytes for a tag", len(t.Cover), maxSyncsafe)
		}
	}
	if len(t.Chapters) > maxChapters {
		bad("%d chapters: at most %d fit in a table of contents", len(t.Chapters), maxChapters)
	}
	var prevEnd int64
	for i, c := range t.Chapters {
		checkText(fmt.Sprintf("chapter %d title", i+1), c.Title)
		if len(c.Picture) > 0 {
			if _, ok := pictureMIME(c.Picture); !ok {
				bad("chapter %d %q: the picture is neither PNG nor JPEG", i+1, c.Title)
			}
		}
		start, end := millis(c.Start), millis(c.End)
		switch {
		case c.Start < 0:
			bad("chapter %d %q starts at a negative time %v", i+1, c.Title, c.Start)
		case end <= start:
			bad("chapter %d %q ends at %v, not after its start %v (in whole milliseconds)", i+1, c.Title, c.End, c.Start)
		case end > math.MaxUint32:
			bad("chapter %d %q ends at %v, beyond the 2^32 ms that ID3 chapters hold", i+1, c.Title, c.End)
		case i > 0 && start < prevEnd:
			bad("chapter %d %q starts at %v, before the previous chapter ends", i+1, c.Title, c.Start)
		}
		prevEnd = end
	}
	return errors.Join(errs...)
}

// dateLayouts are the timestamp precisions ID3v2.4 allows (a subset of ISO 8601).
var dateLayouts = []string{
	"2006", "2006-01", "2006-01-02", "2006-01-02T15", "2006-01-02T15:04", "2006-01-02T15:04:05",
}

func validDate(s string) bool {
	for _, layout := range dateLayouts {
		if len(s) == len(layout) {
			_, err := time.Parse(layout, s)
			return err == nil
		}
	}
	return false
}

func validLanguage(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

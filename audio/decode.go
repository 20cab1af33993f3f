package audio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/safefile"
)

// ErrUnsupported reports a file that is not WAV, MP3 or FLAC, or a variant of
// one that this package does not decode (MPEG-2.5, Layer I/II, more than two
// channels, compressed WAV...).
var ErrUnsupported = errors.New("unsupported audio format")

// ErrTruncated reports a file whose audio data ends before its header says it
// should: a partial download or an interrupted write.
var ErrTruncated = errors.New("audio data ends early")

// Open opens and decodes a WAV, MP3 or FLAC file. The format is chosen by
// looking at the file's first bytes; the extension only helps when they are
// ambiguous. Close the returned streamer to close the file.
func Open(path string) (beep.StreamSeekCloser, beep.Format, error) {
	// Only a regular file: a FIFO or device named as music or a clip
	// would block the open or never end.
	f, err := safefile.Open(path, 0)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: %w", err)
	}
	s, format, err := Decode(f, path)
	if err != nil {
		f.Close()
		return nil, beep.Format{}, err
	}
	return s, format, nil
}

// Decode decodes WAV, MP3 or FLAC data from r, chosen by content; name (a file
// name or path, may be empty) serves as a hint when the content is ambiguous
// and in error messages. The returned streamer reads r lazily, with constant
// memory, and closes r when closed; on error r is left open.
//
// Samples come in beep's layout: mono sources have equal channels. MP3 data is
// trimmed of encoder delay and padding when the file says how much (LAME's
// Info tag), exactly as ffmpeg trims it.
func Decode(r io.ReadSeekCloser, name string) (beep.StreamSeekCloser, beep.Format, error) {
	kind, off, err := sniff(r, name)
	if err != nil {
		return nil, beep.Format{}, withName(err, name)
	}
	var (
		s      beep.StreamSeekCloser
		format beep.Format
	)
	switch kind {
	case kindWAV:
		s, format, err = decodeWAV(r, off)
	case kindMP3:
		s, format, err = decodeMP3(r, off)
	case kindFLAC:
		s, format, err = decodeFLAC(r, off)
	}
	if err != nil {
		return nil, beep.Format{}, withName(err, name)
	}
	return s, format, nil
}

// withName adds the file name to a decoding error, keeping the package prefix
// first so the text still reads "audio: ...".
func withName(err error, name string) error {
	if name == "" {
		return err
	}
	msg := err.Error()
	rest, ok := strings.CutPrefix(msg, "audio: ")
	if !ok {
		return fmt.Errorf("audio: %s: %w", name, err)
	}
	return &namedError{msg: "audio: " + name + ": " + rest, err: err}
}

type namedError struct {
	msg string
	err error
}

func (e *namedError) Error() string { return e.msg }
func (e *namedError) Unwrap() error { return e.err }

type kind int

const (
	kindWAV kind = iota + 1
	kindMP3
	kindFLAC
)

// sniffLimit bounds how far past the ID3v2 tags sniff looks for an MP3 frame
// when the extension says MP3 but the data does not start with one.
const sniffLimit = 64 << 10

// sniff decides the format of r and returns the offset where that format's
// data starts (after any ID3v2 tags).
func sniff(r io.ReadSeeker, name string) (kind, int64, error) {
	var head [12]byte
	n, err := readAt(r, 0, head[:])
	if err != nil {
		return 0, 0, fmt.Errorf("audio: %w", err)
	}
	b := head[:n]
	switch {
	case n >= 12 && string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return kindWAV, 0, nil
	case n >= 4 && (string(b[0:4]) == "RF64" || string(b[0:4]) == "BW64"):
		return 0, 0, fmt.Errorf("audio: %s WAV files: %w", b[0:4], ErrUnsupported)
	case n >= 4 && string(b[0:4]) == "OggS":
		return 0, 0, fmt.Errorf("audio: Ogg files: %w", ErrUnsupported)
	}
	off, err := skipID3v2(r)
	if err != nil {
		return 0, 0, err
	}
	var magic [4]byte
	n, err = readAt(r, off, magic[:])
	if err != nil {
		return 0, 0, fmt.Errorf("audio: %w", err)
	}
	if n == 4 && string(magic[:]) == "fLaC" {
		return kindFLAC, off, nil
	}
	if n == 4 {
		if _, ok := parseMP3Header(magic); ok {
			return kindMP3, off, nil
		}
		if what := mpegUnsupported(magic); what != "" {
			return 0, 0, fmt.Errorf("audio: %s: %w", what, ErrUnsupported)
		}
	}
	// Some MP3 files carry junk between the tags and the first frame. Look
	// for a frame only when the name says MP3, so that random data is not
	// taken for audio.
	if strings.EqualFold(filepath.Ext(name), ".mp3") {
		if at, ok := findMP3Sync(r, off, sniffLimit); ok {
			return kindMP3, at, nil
		}
		if what := mpegUnsupported(magic); what != "" {
			return 0, 0, fmt.Errorf("audio: %s: %w", what, ErrUnsupported)
		}
		return 0, 0, fmt.Errorf("audio: no MPEG audio frame found: %w", ErrUnsupported)
	}
	return 0, 0, fmt.Errorf("audio: not WAV, MP3 or FLAC data: %w", ErrUnsupported)
}

// readAt reads up to len(p) bytes at offset off, returning fewer only at the
// end of the data.
func readAt(r io.ReadSeeker, off int64, p []byte) (int, error) {
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(r, p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, err
}

// skipID3v2 returns the offset just past the ID3v2 tags at the start of r
// (zero when there are none). Several tags in a row are skipped, as some
// taggers prepend a new one without removing the old.
func skipID3v2(r io.ReadSeeker) (int64, error) {
	var off int64
	for range 16 {
		var h [10]byte
		n, err := readAt(r, off, h[:])
		if err != nil {
			return 0, fmt.Errorf("audio: %w", err)
		}
		if n < 10 || !bytes.Equal(h[:3], []byte("ID3")) || h[3] == 0xff || h[4] == 0xff ||
			h[6]&0x80 != 0 || h[7]&0x80 != 0 || h[8]&0x80 != 0 || h[9]&0x80 != 0 {
			return off, nil
		}
		size := int64(h[6])<<21 | int64(h[7])<<14 | int64(h[8])<<7 | int64(h[9])
		off += 10 + size
		if h[3] == 4 && h[5]&0x10 != 0 { // v2.4 footer
			off += 10
		}
	}
	return off, nil
}

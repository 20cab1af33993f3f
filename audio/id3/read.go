package id3

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// ErrNoTag is returned by [Read] when the input does not start with an
// ID3v2 tag.
var ErrNoTag = errors.New("id3: no ID3v2 tag at the start")

// Read parses the ID3v2.3 or ID3v2.4 tag at the start of r and consumes
// exactly the tag (header, frames, padding and any footer), leaving r at the
// audio that follows.
//
// It understands what [Tag.Bytes] writes and, best effort, tags from other
// tools: text in any ID3 encoding (several values are joined with "/"),
// unsynchronisation, extended headers, grouped frames, the v2.3 year (TYER)
// when there is no TDRC, and v2.4 frame sizes that are wrongly written as
// plain integers. Compressed and encrypted frames, and track numbers that are
// not numbers, are ignored. Chapters are returned in order of their start
// time. Read does not validate the result: a tag from another tool may hold
// values that [Tag.Bytes] would refuse.
func Read(r io.Reader) (*Tag, error) {
	var h [headerSize]byte
	if n, err := io.ReadFull(r, h[:]); err != nil {
		if n >= 3 && string(h[:3]) == "ID3" {
			return nil, fmt.Errorf("id3: truncated tag header: %w", io.ErrUnexpectedEOF)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, ErrNoTag
		}
		return nil, fmt.Errorf("id3: reading tag header: %w", err)
	}
	if string(h[:3]) != "ID3" {
		return nil, ErrNoTag
	}
	version, flags := h[3], h[5]
	if version != 3 && version != 4 {
		return nil, fmt.Errorf("id3: ID3v2.%d tags are not supported (only 2.3 and 2.4)", version)
	}
	size, ok := syncsafe(h[6:10])
	if !ok {
		return nil, fmt.Errorf("id3: tag size %x is not a syncsafe integer", h[6:10])
	}
	body, err := io.ReadAll(io.LimitReader(r, int64(size)))
	if err != nil {
		return nil, fmt.Errorf("id3: reading tag: %w", err)
	}
	if len(body) < size {
		return nil, fmt.Errorf("id3: tag of %d bytes is truncated at %d: %w", size, len(body), io.ErrUnexpectedEOF)
	}
	if version == 4 && flags&0x10 != 0 { // footer: a copy of the header, after the frames
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return nil, fmt.Errorf("id3: reading tag footer: %w", io.ErrUnexpectedEOF)
		}
	}
	if version == 3 && flags&0x80 != 0 { // v2.3 unsynchronises the whole tag; v2.4 each frame
		body = resync(body)
	}
	if flags&0x40 != 0 {
		if body, err = skipExtendedHeader(body, version); err != nil {
			return nil, err
		}
	}
	frames, err := parseFrames(body, version)
	if err != nil {
		return nil, err
	}
	return decodeTag(frames, version)
}

type frame struct {
	id   string
	data []byte
}

// parseFrames splits b into frames; it stops at padding or at anything that
// is not a frame header.
func parseFrames(b []byte, version byte) ([]frame, error) {
	var frames []frame
	for len(b) >= headerSize && validFrameID(b[:4]) {
		id := string(b[:4])
		var size int
		if version == 4 {
			var ok bool
			if size, ok = syncsafe(b[4:8]); !ok {
				size = int(binary.BigEndian.Uint32(b[4:8])) // a known writer bug: a plain integer
			}
		} else {
			size = int(binary.BigEndian.Uint32(b[4:8]))
		}
		format := b[9]
		b = b[headerSize:]
		if size > len(b) {
			return nil, fmt.Errorf("id3: frame %s of %d bytes runs past the end of the tag (%d bytes left)", id, size, len(b))
		}
		data := b[:size]
		b = b[size:]
		var skip bool
		if data, skip = frameData(data, format, version); !skip {
			frames = append(frames, frame{id, data})
		}
	}
	return frames, nil
}

// frameData removes the extra fields that the format flags add before the
// data, undoes unsynchronisation, and tells whether to skip the frame
// (compressed, encrypted or malformed).
func frameData(data []byte, format, version byte) ([]byte, bool) {
	extra := 0
	if version == 4 {
		if format&0x0C != 0 { // compressed or encrypted
			return nil, true
		}
		if format&0x40 != 0 { // group identity
			extra++
		}
		if format&0x01 != 0 { // data length indicator
			extra += 4
		}
	} else {
		if format&0xC0 != 0 { // compressed or encrypted
			return nil, true
		}
		if format&0x20 != 0 { // group identity
			extra++
		}
	}
	if extra > len(data) {
		return nil, true
	}
	data = data[extra:]
	if version == 4 && format&0x02 != 0 {
		data = resync(data)
	}
	return data, false
}

func decodeTag(frames []frame, version byte) (*Tag, error) {
	t := &Tag{}
	seen := map[string]bool{} // text frames: the first one counts
	var year string
	var commentDescribed, coverFront bool
	for _, f := range frames {
		switch f.id {
		case "TIT2", "TPE1", "TALB", "TRCK", "TDRC", "TYER", "TLAN", "TSSE":
			if seen[f.id] {
				continue
			}
			seen[f.id] = true
			s, err := textFrame(f)
			if err != nil {
				return nil, err
			}
			switch f.id {
			case "TIT2":
				t.Title = s
			case "TPE1":
				t.Artist = s
			case "TALB":
				t.Album = s
			case "TRCK":
				t.Track, t.TrackTotal = parseTrack(s)
			case "TDRC":
				t.Date = s
			case "TYER":
				year = s
			case "TLAN":
				t.Language = s
			case "TSSE":
				t.Encoder = s
			}
		case "COMM":
			desc, text, err := commentFrame(f)
			if err != nil {
				return nil, err
			}
			// The description is the comment with an empty descriptor;
			// others (such as iTunes' "iTunNORM") are only a fallback.
			if !commentDescribed && (desc == "" || !seen["COMM"]) {
				t.Comment = text
				seen["COMM"], commentDescribed = true, desc == ""
			}
		case "APIC":
			ptype, data, err := pictureFrame(f)
			if err != nil {
				return nil, err
			}
			if !coverFront && (ptype == pictureFront || !seen["APIC"]) {
				t.Cover = data
				seen["APIC"], coverFront = true, ptype == pictureFront
			}
		case "CHAP":
			c, err := chapterFrame(f, version)
			if err != nil {
				return nil, err
			}
			t.Chapters = append(t.Chapters, c)
		}
	}
	if t.Date == "" {
		t.Date = year
	}
	slices.SortStableFunc(t.Chapters, func(a, b Chapter) int { return cmp.Compare(a.Start, b.Start) })
	return t, nil
}

func textFrame(f frame) (string, error) {
	if len(f.data) == 0 {
		return "", nil
	}
	values, err := decodeStrings(f.data[0], f.data[1:])
	if err != nil {
		return "", fmt.Errorf("id3: frame %s: %w", f.id, err)
	}
	for len(values) > 0 && values[len(values)-1] == "" {
		values = values[:len(values)-1]
	}
	return strings.Join(values, "/"), nil
}

func commentFrame(f frame) (desc, text string, err error) {
	if len(f.data) < 4 {
		return "", "", fmt.Errorf("id3: frame COMM of %d bytes is too short", len(f.data))
	}
	enc := f.data[0]
	desc, rest, err := cutString(enc, f.data[4:])
	if err != nil {
		return "", "", fmt.Errorf("id3: frame COMM: %w", err)
	}
	text, err = textFrame(frame{"COMM", append([]byte{enc}, rest...)})
	return desc, text, err
}

func pictureFrame(f frame) (ptype byte, data []byte, err error) {
	if len(f.data) < 1 {
		return 0, nil, errors.New("id3: frame APIC is empty")
	}
	enc := f.data[0]
	i := bytes.IndexByte(f.data[1:], 0) // the MIME type is always ISO-8859-1
	if i < 0 || 1+i+1 >= len(f.data) {
		return 0, nil, errors.New("id3: frame APIC: no picture type after the MIME type")
	}
	ptype = f.data[1+i+1]
	_, data, err = cutString(enc, f.data[1+i+2:])
	if err != nil {
		return 0, nil, fmt.Errorf("id3: frame APIC: %w", err)
	}
	return ptype, data, nil
}

func chapterFrame(f frame, version byte) (Chapter, error) {
	i := bytes.IndexByte(f.data, 0)
	if i < 0 || len(f.data)-(i+1) < 16 {
		return Chapter{}, fmt.Errorf("id3: frame CHAP of %d bytes is too short", len(f.data))
	}
	times := f.data[i+1:]
	c := Chapter{
		Start: time.Duration(binary.BigEndian.Uint32(times[0:4])) * time.Millisecond,
		End:   time.Duration(binary.BigEndian.Uint32(times[4:8])) * time.Millisecond,
	}
	sub, err := parseFrames(times[16:], version)
	if err != nil {
		return Chapter{}, fmt.Errorf("id3: chapter %q: %w", f.data[:i], err)
	}
	var titled bool
	for _, s := range sub {
		switch {
		case s.id == "TIT2" && !titled:
			if c.Title, err = textFrame(s); err != nil {
				return Chapter{}, err
			}
			titled = true
		case s.id == "APIC" && c.Picture == nil:
			_, data, err := pictureFrame(s)
			if err != nil {
				return Chapter{}, fmt.Errorf("id3: chapter %q: %w", f.data[:i], err)
			}
			if len(data) > 0 {
				c.Picture = data
			}
		}
	}
	return c, nil
}

// decodeStrings decodes the NUL-separated strings of a text field.
func decodeStrings(enc byte, b []byte) ([]string, error) {
	var values []string
	for len(b) > 0 {
		s, rest, err := cutString(enc, b)
		if err != nil {
			return nil, err
		}
		values = append(values, s)
		b = rest
	}
	return values, nil
}

// cutString decodes one string in encoding enc up to its terminator (or the
// end of b) and returns the bytes after the terminator.
func cutString(enc byte, b []byte) (string, []byte, error) {
	switch enc {
	case 0, 3: // ISO-8859-1, UTF-8: one NUL byte ends a string
		s, rest, _ := bytes.Cut(b, []byte{0})
		if enc == 3 {
			return strings.ToValidUTF8(string(s), "\uFFFD"), rest, nil
		}
		runes := make([]rune, len(s))
		for i, c := range s {
			runes[i] = rune(c) // ISO-8859-1 is the first 256 code points
		}
		return string(runes), rest, nil
	case 1, 2: // UTF-16 with a byte order mark, UTF-16BE: two NUL bytes, aligned
		end, next := len(b), len(b)
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				end, next = i, i+2
				break
			}
		}
		return decodeUTF16(enc, b[:end]), b[next:], nil
	}
	return "", nil, fmt.Errorf("unknown text encoding %d", enc)
}

func decodeUTF16(enc byte, b []byte) string {
	little := false
	if enc == 1 && len(b) >= 2 {
		switch {
		case b[0] == 0xFF && b[1] == 0xFE:
			little, b = true, b[2:]
		case b[0] == 0xFE && b[1] == 0xFF:
			b = b[2:]
		}
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if little {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		} else {
			u[i] = binary.BigEndian.Uint16(b[2*i:])
		}
	}
	return string(utf16.Decode(u))
}

// parseTrack reads "3" or "3/12"; parts that are not plain numbers are 0.
func parseTrack(s string) (track, total int) {
	a, b, _ := strings.Cut(s, "/")
	return number(a), number(b)
}

func number(s string) int {
	s = strings.TrimSpace(s)
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

func skipExtendedHeader(b []byte, version byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, errors.New("id3: truncated extended header")
	}
	var n int
	if version == 4 {
		var ok bool
		if n, ok = syncsafe(b[:4]); !ok {
			return nil, errors.New("id3: extended header size is not a syncsafe integer")
		}
	} else {
		n = 4 + int(binary.BigEndian.Uint32(b[:4])) // v2.3 does not count the size field
	}
	if n < 4 || n > len(b) {
		return nil, fmt.Errorf("id3: extended header of %d bytes does not fit the tag", n)
	}
	return b[n:], nil
}

func syncsafe(b []byte) (int, bool) {
	if (b[0]|b[1]|b[2]|b[3])&0x80 != 0 {
		return 0, false
	}
	return int(b[0])<<21 | int(b[1])<<14 | int(b[2])<<7 | int(b[3]), true
}

// resync undoes unsynchronisation: every $FF $00 becomes $FF.
func resync(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0 {
			i++
		}
	}
	return out
}

func validFrameID(id []byte) bool {
	for _, c := range id {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

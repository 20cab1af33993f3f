package id3

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

const ms = time.Millisecond

func testPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 2, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		tag  Tag
		want *Tag // nil: the tag itself
	}{
		{name: "title only", tag: Tag{Title: "Morning stretches"}},
		{name: "all text fields", tag: Tag{
			Title: "Lower back — morning ✓", Artist: "routinecast", Album: "Stretches",
			Track: 3, TrackTotal: 12, Date: "2026-11-05T07:30", Language: "eng",
			Comment: "Eight gentle stretches.\nBreathe out as you stretch.", Encoder: "routinecast mp3 128 kbit/s",
		}},
		{name: "track without total", tag: Tag{Title: "x", Track: 7}},
		{name: "comment without language", tag: Tag{Comment: "only a comment"}},
		{name: "png cover", tag: Tag{Title: "x", Cover: testPNG(t)}},
		{name: "jpeg cover", tag: Tag{Cover: testJPEG(t)}},
		{name: "chapters", tag: Tag{Title: "x", Chapters: []Chapter{
			{Title: "Warm-up", Start: 0, End: 61500 * ms},
			{Title: "Knee to chest", Start: 61500 * ms, End: 125 * time.Second},
			{Title: "Cat–cow", Start: 130 * time.Second, End: 4*time.Hour + 17*ms},
		}}},
		{name: "chapter without title", tag: Tag{Chapters: []Chapter{{Start: 5 * ms, End: 6 * ms}}}},
		{name: "chapter pictures", tag: Tag{Title: "x", Cover: testJPEG(t), Chapters: []Chapter{
			{Title: "Intro", Start: 0, End: time.Second},
			{Title: "Bridge", Start: time.Second, End: 2 * time.Second, Picture: testPNG(t)},
			{Start: 2 * time.Second, End: 3 * time.Second, Picture: testJPEG(t)},
		}}},
		{name: "chapter at the 32-bit limit", tag: Tag{Chapters: []Chapter{{Title: "last", Start: 0, End: (1<<32 - 1) * ms}}}},
		{
			name: "chapter times rounded to milliseconds",
			tag:  Tag{Chapters: []Chapter{{Title: "a", Start: 1499600 * time.Microsecond, End: 2000400 * time.Microsecond}}},
			want: &Tag{Chapters: []Chapter{{Title: "a", Start: 1500 * ms, End: 2000 * ms}}},
		},
		{name: "everything", tag: Tag{
			Title: "Episode 1", Artist: "A", Album: "B", Track: 1, TrackTotal: 1, Date: "2026",
			Language: "fra", Comment: "c", Encoder: "e", Cover: testPNG(t),
			Chapters: []Chapter{{Title: "one", Start: 0, End: 1000 * ms}, {Title: "two", Start: 1000 * ms, End: 2000 * ms}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.tag.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			// Audio after the tag must stay unread.
			r := bytes.NewReader(append(b, "AUDIO"...))
			got, err := Read(r)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want == nil {
				want = &tt.tag
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read back\n got %+v\nwant %+v", got, want)
			}
			if rest, _ := io.ReadAll(r); string(rest) != "AUDIO" {
				t.Errorf("after the tag the reader holds %q, want %q", rest, "AUDIO")
			}
			var w bytes.Buffer
			n, err := tt.tag.WriteTo(&w)
			if err != nil || n != int64(len(b)) || !bytes.Equal(w.Bytes(), b) {
				t.Errorf("WriteTo wrote %d bytes, err %v; want the %d bytes of Bytes", n, err, len(b))
			}
		})
	}
}

// TestGolden compares a small tag with bytes worked out by hand from the
// ID3v2.4 structure document and the chapter addendum.
func TestGolden(t *testing.T) {
	tag := Tag{Title: "Hi", Chapters: []Chapter{{Title: "A", Start: 0, End: 1500 * ms}}}
	want := []byte{
		// header: "ID3", version 4.0, no flags, size 77 (13+21+43) syncsafe
		'I', 'D', '3', 4, 0, 0, 0, 0, 0, 77,
		// TIT2, size 3, no flags: UTF-8, "Hi"
		'T', 'I', 'T', '2', 0, 0, 0, 3, 0, 0, 3, 'H', 'i',
		// CTOC, size 11: "toc" NUL, flags top-level|ordered, 1 entry, "chp0" NUL
		'C', 'T', 'O', 'C', 0, 0, 0, 11, 0, 0, 't', 'o', 'c', 0, 3, 1, 'c', 'h', 'p', '0', 0,
		// CHAP, size 33: "chp0" NUL, start 0, end 1500 (0x05DC), offsets unused
		'C', 'H', 'A', 'P', 0, 0, 0, 33, 0, 0, 'c', 'h', 'p', '0', 0,
		0, 0, 0, 0, 0, 0, 0x05, 0xDC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
		// sub-frame TIT2, size 2: UTF-8, "A"
		'T', 'I', 'T', '2', 0, 0, 0, 2, 0, 0, 3, 'A',
	}
	got, err := tag.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("bytes\n got % x\nwant % x", got, want)
	}
}

func TestSyncsafe(t *testing.T) {
	tests := []struct {
		name string
		n    int
		want []byte
	}{
		{"zero", 0, []byte{0, 0, 0, 0}},
		{"largest in one byte", 127, []byte{0, 0, 0, 0x7F}},
		{"carry into the second byte", 128, []byte{0, 0, 1, 0}},
		{"200", 200, []byte{0, 0, 1, 0x48}},
		{"a megabyte", 1 << 20, []byte{0, 0x40, 0, 0}},
		{"largest", 1<<28 - 1, []byte{0x7F, 0x7F, 0x7F, 0x7F}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := appendSyncsafe(nil, tt.n)
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("appendSyncsafe(%d) = % x, want % x", tt.n, got, tt.want)
			}
			if back, ok := syncsafe(got); !ok || back != tt.n {
				t.Fatalf("syncsafe(% x) = %d, %v; want %d", got, back, ok, tt.n)
			}
		})
	}
}

// TestFrameLayout checks the fields that the round trip cannot see: the
// comment's language, the picture's MIME type and picture type, and sizes
// past 127 bytes. Each tag holds one frame.
func TestFrameLayout(t *testing.T) {
	long := strings.Repeat("a", 199) // body 200 bytes: syncsafe 00 00 01 48
	pngData, jpegData := testPNG(t), testJPEG(t)
	pic300Body := append([]byte("\x03image/png\x00\x00\x00\x89PNG\r\n\x1a\n"), make([]byte, 300-21)...)
	pic300 := pic300Body[13:]
	tests := []struct {
		name string
		tag  Tag
		want string // the frame, header included
	}{
		{"comment language defaults to und", Tag{Comment: "c"}, "COMM\x00\x00\x00\x06\x00\x00\x03und\x00c"},
		{"comment language follows the tag's", Tag{Comment: "c", Language: "deu"}, "TLAN\x00\x00\x00\x04\x00\x00\x03deuCOMM\x00\x00\x00\x06\x00\x00\x03deu\x00c"},
		{"syncsafe frame size", Tag{Title: long}, "TIT2\x00\x00\x01\x48\x00\x00\x03" + long},
		{"track and total", Tag{Track: 3, TrackTotal: 12}, "TRCK\x00\x00\x00\x05\x00\x00\x033/12"},
		{"png cover", Tag{Cover: pngData},
			"APIC" + string(appendSyncsafe(nil, 13+len(pngData))) + "\x00\x00\x03image/png\x00\x03\x00" + string(pngData)},
		{"jpeg cover", Tag{Cover: jpegData},
			"APIC" + string(appendSyncsafe(nil, 14+len(jpegData))) + "\x00\x00\x03image/jpeg\x00\x03\x00" + string(jpegData)},
		// Zeros follow a picture of 128 bytes or more, up to the size its
		// syncsafe size has when misread as a plain integer: 300 is 00 00 02 2c,
		// which reads as 556.
		{"chapter picture padded for ffmpeg", Tag{Chapters: []Chapter{{End: time.Second, Picture: pic300}}},
			"CTOC\x00\x00\x00\x0b\x00\x00toc\x00\x03\x01chp0\x00" +
				"CHAP\x00\x00\x04\x4b\x00\x00chp0\x00" + // 21 + 10 + 300 + 256 = 587 = 4*128 + 75
				"\x00\x00\x00\x00\x00\x00\x03\xe8\xff\xff\xff\xff\xff\xff\xff\xff" +
				"APIC\x00\x00\x02\x2c\x00\x00" + string(pic300Body) + strings.Repeat("\x00", 256)},
		// A chapter's picture is a sub-frame after its title, of type
		// "other" (0), so that no reader takes it for the cover.
		{"chapter picture", Tag{Chapters: []Chapter{{Title: "A", End: time.Second, Picture: pngData}}},
			"CTOC\x00\x00\x00\x0b\x00\x00toc\x00\x03\x01chp0\x00" +
				"CHAP" + string(appendSyncsafe(nil, 21+12+10+13+len(pngData))) + "\x00\x00chp0\x00" +
				"\x00\x00\x00\x00\x00\x00\x03\xe8\xff\xff\xff\xff\xff\xff\xff\xff" +
				"TIT2\x00\x00\x00\x02\x00\x00\x03A" +
				"APIC" + string(appendSyncsafe(nil, 13+len(pngData))) + "\x00\x00\x03image/png\x00\x00\x00" + string(pngData)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.tag.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b[headerSize:]); got != tt.want {
				t.Errorf("frame\n got %q\nwant %q", got, tt.want)
			}
			if n, _ := syncsafe(b[6:10]); n != len(tt.want) {
				t.Errorf("tag size %d, want %d", n, len(tt.want))
			}
		})
	}
}

// hugePNG is one byte beyond the largest tag. Only its first bytes are
// written, so the memory is reserved but barely touched.
func hugePNG() []byte {
	b := make([]byte, maxSyncsafe+1)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

func TestEmpty(t *testing.T) {
	if _, err := (&Tag{}).Bytes(); !errors.Is(err, ErrEmpty) {
		t.Errorf("Bytes() of an empty tag: %v, want ErrEmpty", err)
	}
}

func TestValidate(t *testing.T) {
	chapters := func(c ...Chapter) Tag { return Tag{Title: "x", Chapters: c} }
	many := make([]Chapter, 256)
	for i := range many {
		many[i] = Chapter{Start: time.Duration(i) * time.Second, End: time.Duration(i+1) * time.Second}
	}
	tests := []struct {
		name string
		tag  Tag
		want []string // each must appear in the error
	}{
		{"NUL in title", Tag{Title: "a\x00b"}, []string{`title "a\x00b" contains a NUL`}},
		{"invalid UTF-8", Tag{Artist: "\xff"}, []string{"artist", "not valid UTF-8"}},
		{"negative track", Tag{Title: "x", Track: -1}, []string{"must not be negative"}},
		{"total without track", Tag{Title: "x", TrackTotal: 3}, []string{"without a track number"}},
		{"track beyond total", Tag{Title: "x", Track: 4, TrackTotal: 3}, []string{"beyond the track total"}},
		{"bad date", Tag{Date: "05/11/2026"}, []string{`date "05/11/2026"`}},
		{"impossible date", Tag{Date: "2026-02-30"}, []string{`date "2026-02-30"`}},
		{"two-letter language", Tag{Language: "en"}, []string{`language "en"`}},
		{"upper-case language", Tag{Language: "ENG"}, []string{`language "ENG"`}},
		{"gif cover", Tag{Cover: []byte("GIF89a...")}, []string{"cover art is neither PNG nor JPEG"}},
		{"cover too big", Tag{Cover: hugePNG()}, []string{"cover art of 268435456 bytes exceeds the ID3v2 limit"}},
		{"end before start", chapters(Chapter{Title: "a", Start: 2 * time.Second, End: time.Second}), []string{`chapter 1 "a" ends at 1s, not after its start 2s`}},
		{"empty chapter", chapters(Chapter{Title: "a", Start: time.Second, End: time.Second}), []string{"not after its start"}},
		{"empty after rounding", chapters(Chapter{Title: "a", Start: 0, End: 400 * time.Microsecond}), []string{"not after its start"}},
		{"negative start", chapters(Chapter{Title: "a", Start: -time.Second, End: time.Second}), []string{"negative time"}},
		{"overlap", chapters(
			Chapter{Title: "a", Start: 0, End: 2 * time.Second},
			Chapter{Title: "b", Start: time.Second, End: 3 * time.Second},
		), []string{`chapter 2 "b" starts at 1s, before the previous chapter ends`}},
		{"out of order", chapters(
			Chapter{Title: "a", Start: 5 * time.Second, End: 6 * time.Second},
			Chapter{Title: "b", Start: 0, End: time.Second},
		), []string{`chapter 2 "b"`}},
		{"beyond 32 bits", chapters(Chapter{Title: "a", End: 1 << 32 * ms}), []string{"beyond the 2^32 ms"}},
		{"too many chapters", chapters(many...), []string{"256 chapters"}},
		{"NUL in chapter title", chapters(Chapter{Title: "\x00", End: time.Second}), []string{"chapter 1 title"}},
		{"gif chapter picture", chapters(Chapter{Title: "a", End: time.Second, Picture: []byte("GIF89a...")}), []string{`chapter 1 "a": the picture is neither PNG nor JPEG`}},
		{"every problem at once", Tag{Title: "\x00", Language: "x", Date: "y"}, []string{"title", "language", "date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.tag.Bytes()
			if err == nil {
				t.Fatalf("Bytes() = % x, want an error", b)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "id3: ") {
					t.Errorf("error line %q does not start with \"id3: \"", line)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, err := tt.tag.WriteTo(io.Discard); err == nil {
				t.Error("WriteTo wrote an invalid tag")
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
		is    error
	}{
		{"empty input", "", "no ID3v2 tag", ErrNoTag},
		{"an MP3 frame", "\xFF\xFB\x90\x00 and more bytes", "no ID3v2 tag", ErrNoTag},
		{"short non-tag", "ab", "no ID3v2 tag", ErrNoTag},
		{"truncated header", "ID3\x04\x00", "truncated tag header", io.ErrUnexpectedEOF},
		{"version 2.2", "ID3\x02\x00\x00\x00\x00\x00\x10", "ID3v2.2 tags are not supported", nil},
		{"size not syncsafe", "ID3\x04\x00\x00\x00\x00\x00\x80", "not a syncsafe integer", nil},
		{"truncated body", "ID3\x04\x00\x00\x00\x00\x01\x00TIT2", "truncated at 4", io.ErrUnexpectedEOF},
		{"frame past the end", "ID3\x04\x00\x00\x00\x00\x00\x0CTIT2\x00\x00\x00\x05\x00\x00\x03a", "frame TIT2 of 5 bytes runs past the end", nil},
		{"unknown encoding", "ID3\x04\x00\x00\x00\x00\x00\x0CTIT2\x00\x00\x00\x02\x00\x00\x07a", "frame TIT2: unknown text encoding 7", nil},
		{"short chapter", "ID3\x04\x00\x00\x00\x00\x00\x10CHAP\x00\x00\x00\x06\x00\x00c\x00\x00\x00\x00\x01", "frame CHAP of 6 bytes is too short", nil},
		{"missing footer", "ID3\x04\x00\x10\x00\x00\x00\x00", "reading tag footer", nil},
		{"extended header too big", "ID3\x04\x00\x40\x00\x00\x00\x04\x00\x00\x00\x09", "extended header of 9 bytes", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tag, err := Read(strings.NewReader(tt.input))
			if err == nil {
				t.Fatalf("Read = %+v, want an error", tag)
			}
			if !strings.HasPrefix(err.Error(), "id3: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one starting \"id3: \" and containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q is not %v", err, tt.is)
			}
		})
	}
}

// TestReadOtherWriters reads hand-made tags that use what Bytes never writes.
func TestReadOtherWriters(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Tag
	}{
		{
			name: "v2.3 UTF-16 with BOM, ISO-8859-1, TYER, iTunes comment first",
			input: "ID3\x03\x00\x00\x00\x00\x00\x57" +
				"TIT2\x00\x00\x00\x09\x00\x00\x01\xFF\xFEH\x00\xE9\x00\x00\x00" + // "Hé" little-endian
				"TPE1\x00\x00\x00\x03\x00\x00\x00\xE9a" + // ISO-8859-1 "éa"
				"TYER\x00\x00\x00\x05\x00\x00\x002026" +
				"COMM\x00\x00\x00\x0E\x00\x00\x00engiTunNORM\x00x" +
				"COMM\x00\x00\x00\x06\x00\x00\x00eng\x00d",
			want: Tag{Title: "Hé", Artist: "éa", Date: "2026", Comment: "d"},
		},
		{
			name: "v2.3 unsynchronised tag with an extended header",
			input: "ID3\x03\x00\xC0\x00\x00\x00\x18" +
				"\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00" +
				"TIT2\x00\x00\x00\x03\x00\x00\x00\xFF\x00\xFE",
			want: Tag{Title: "ÿþ"},
		},
		{
			name: "v2.4 with footer, padding, group byte, data length and unsynchronised frame",
			input: "ID3\x04\x00\x10\x00\x00\x00\x27" +
				"TIT2\x00\x00\x00\x09\x00\x43\x07\x00\x00\x00\x03\x03\xFF\x00\xFE" +
				"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
				"3DI\x04\x00\x10\x00\x00\x00\x27",
			want: Tag{Title: "\uFFFD"}, // $FF $FE is not UTF-8
		},
		{
			name: "v2.4 frame size written as a plain integer, UTF-16BE, several values",
			input: "ID3\x04\x00\x00\x00\x00\x01\x1E" +
				"TPE1\x00\x00\x00\x85\x00\x00\x02" + strings.Repeat("\x00a", 63) + "\x00\x00\x00b\x00\x00" +
				"TRCK\x00\x00\x00\x05\x00\x00\x0307/x",
			want: Tag{Artist: strings.Repeat("a", 63) + "/b", Track: 7},
		},
		{
			name: "chapters out of order, compressed frame skipped, second cover",
			input: "ID3\x04\x00\x00\x00\x00\x00\x68" +
				"CHAP\x00\x00\x00\x12\x00\x00b\x00\x00\x00\x03\xE8\x00\x00\x07\xD0\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF" +
				"CHAP\x00\x00\x00\x12\x00\x00a\x00\x00\x00\x00\x00\x00\x00\x03\xE8\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF" +
				"TIT2\x00\x00\x00\x02\x00\x08\x03z" +
				"APIC\x00\x00\x00\x08\x00\x00\x00i/x\x00\x04\x00B" +
				"APIC\x00\x00\x00\x08\x00\x00\x00i/x\x00\x03\x00F",
			want: Tag{Cover: []byte("F"), Chapters: []Chapter{{Start: 0, End: 1000 * ms}, {Start: 1000 * ms, End: 2000 * ms}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

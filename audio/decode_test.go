package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/testtool"
)

// TestDecodeTestdata decodes the seed files (testdata/make.sh) and, when
// ffmpeg is installed, compares every sample with ffmpeg's decode.
func TestDecodeTestdata(t *testing.T) {
	tests := []struct {
		file     string
		rate     beep.SampleRate
		channels int
		length   int
		tol      float64 // against ffmpeg
	}{
		{"tone16.wav", 8000, 1, 160, 0},
		{"tone24.wav", 8000, 2, 160, 0},
		{"tone8.wav", 8000, 1, 160, 0},
		{"tonef32.wav", 8000, 2, 160, 0},
		{"tone32.wav", 8000, 1, 160, 0},
		{"tone.mp3", 44100, 2, 2205, 1e-4},
		{"lsf32.mp3", 22050, 1, 3456, 1e-4},
		{"tone.flac", 8000, 1, 400, 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", tc.file)
			s, format, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if format.SampleRate != tc.rate || format.NumChannels != tc.channels {
				t.Errorf("format %+v, want %d Hz, %d channels", format, tc.rate, tc.channels)
			}
			got := testtool.ReadAll(t, s, 1000)
			if len(got) != tc.length || s.Len() != tc.length {
				t.Errorf("%d samples (Len %d), want %d", len(got), s.Len(), tc.length)
			}
			if tc.channels == 1 {
				for i, v := range got {
					if v[0] != v[1] {
						t.Fatalf("mono sample %d has unequal channels %v", i, v)
					}
				}
			}
			if _, err := exec.LookPath("ffmpeg"); err != nil && !testtool.Required() {
				return
			}
			want := testtool.FFmpegDecode(t, path, tc.channels)
			if len(want) != len(got) {
				t.Fatalf("ffmpeg decodes %d samples, we %d", len(want), len(got))
			}
			if d, at := maxDiff(got, want); d > tc.tol {
				t.Errorf("differs from ffmpeg by %.3g at sample %d", d, at)
			}
		})
	}
}

// wavBytes builds a WAV file: a fmt chunk from the arguments, then the
// given data chunk size field and data.
func wavBytes(format uint16, channels, rate, bits int, sizeField uint32, data []byte) []byte {
	var b bytes.Buffer
	align := channels * bits / 8
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+len(data)))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, format)
	binary.Write(&b, binary.LittleEndian, uint16(channels))
	binary.Write(&b, binary.LittleEndian, uint32(rate))
	binary.Write(&b, binary.LittleEndian, uint32(rate*align))
	binary.Write(&b, binary.LittleEndian, uint16(align))
	binary.Write(&b, binary.LittleEndian, uint16(bits))
	b.WriteString("LIST")
	binary.Write(&b, binary.LittleEndian, uint32(3))
	b.WriteString("abc\x00") // odd chunk, padded
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, sizeField)
	b.Write(data)
	return b.Bytes()
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func decodeBytes(data []byte, name string) (beep.StreamSeekCloser, beep.Format, error) {
	return Decode(nopCloser{bytes.NewReader(data)}, name)
}

// decodeOrRefuse decodes data as a file called name and returns the stream;
// when refusal is set, Decode must fail with it instead, and the stream is
// nil.
func decodeOrRefuse(t *testing.T, data []byte, name string, refusal error) beep.StreamSeekCloser {
	t.Helper()
	s, _, err := decodeBytes(data, name)
	if refusal != nil {
		if !errors.Is(err, refusal) {
			t.Fatalf("Decode error %v, want %v", err, refusal)
		}
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWAVEdgeCases(t *testing.T) {
	pcm := make([]byte, 200) // 100 mono 16-bit samples
	for i := range 100 {
		binary.LittleEndian.PutUint16(pcm[2*i:], uint16(int16(i*100)))
	}
	tests := []struct {
		name    string
		data    []byte
		want    int   // samples before the end or the error
		wantErr error // from Err after streaming
		openErr error
	}{
		{"exact", wavBytes(1, 1, 8000, 16, 200, pcm), 100, nil, nil},
		{"streamed, size 0xFFFFFFFF", wavBytes(1, 1, 8000, 16, 0xffffffff, pcm), 100, nil, nil},
		{"streamed, size 0", wavBytes(1, 1, 8000, 16, 0, pcm), 100, nil, nil},
		{"size past the end", wavBytes(1, 1, 8000, 16, 1000, pcm), 0, nil, ErrTruncated},
		{"size one frame past the end", wavBytes(1, 1, 8000, 16, 202, pcm), 0, nil, ErrTruncated},
		{"pad byte missing at the end", wavBytes(1, 1, 8000, 16, 201, pcm), 100, nil, nil},
		{"odd byte at the end", wavBytes(1, 1, 8000, 16, 201, append(pcm, 7)), 100, nil, nil},
		{"ADPCM", wavBytes(2, 1, 8000, 4, 200, pcm), 0, nil, ErrUnsupported},
		{"6 channels", wavBytes(1, 6, 8000, 16, 192, pcm[:192]), 0, nil, ErrUnsupported},
		{"no data chunk", wavBytes(1, 1, 8000, 16, 200, pcm)[:50], 0, nil, ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := decodeOrRefuse(t, tc.data, "x.wav", tc.openErr)
			if s == nil {
				return
			}
			buf := make([][2]float64, 64)
			n := 0
			for range 100 { // bounded: a decoder that never ends fails here
				k, ok := s.Stream(buf)
				n += k
				if !ok {
					break
				}
			}
			if n != tc.want {
				t.Errorf("streamed %d samples, want %d", n, tc.want)
			}
			if !errors.Is(s.Err(), tc.wantErr) {
				t.Errorf("Err() = %v, want %v", s.Err(), tc.wantErr)
			}
		})
	}
}

// TestWAVTruncatedAfterOpen checks that data vanishing under the decoder
// ends the stream with ErrTruncated instead of spinning.
func TestWAVTruncatedAfterOpen(t *testing.T) {
	path := testtool.TempWAV(t, "x.wav", 8000, 2, tone(8000, 1000, 0.5))
	s, _, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := os.Truncate(path, 44+4*300+2); err != nil {
		t.Fatal(err)
	}
	buf := make([][2]float64, 4096)
	n, ok := s.Stream(buf)
	if n != 300 || !ok {
		t.Fatalf("Stream = %d, %v; want the 300 whole samples", n, ok)
	}
	if n, ok := s.Stream(buf); n != 0 || ok {
		t.Fatalf("then Stream = %d, %v", n, ok)
	}
	if !errors.Is(s.Err(), ErrTruncated) {
		t.Fatalf("Err() = %v, want ErrTruncated", s.Err())
	}
}

func TestSeekWAVAndFLAC(t *testing.T) {
	for _, file := range []string{"tone24.wav", "tonef32.wav", "tone.flac", "tone.mp3"} {
		t.Run(file, func(t *testing.T) {
			s, _, err := Open(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			all := testtool.ReadAll(t, s, 1000)
			for _, p := range []int{0, 1, len(all) / 3, len(all) - 1, len(all), len(all) / 2, 3} {
				if err := s.Seek(p); err != nil {
					t.Fatalf("Seek(%d): %v", p, err)
				}
				if s.Position() != p {
					t.Fatalf("Position %d after Seek(%d)", s.Position(), p)
				}
				rest := testtool.ReadAll(t, s, 1000)
				if len(rest) != len(all)-p {
					t.Fatalf("after Seek(%d): %d samples, want %d", p, len(rest), len(all)-p)
				}
				if d, at := maxDiff(rest, all[p:]); d != 0 {
					t.Fatalf("after Seek(%d): sample %d differs by %g", p, p+at, d)
				}
			}
			if err := s.Seek(len(all) + 1); err == nil {
				t.Error("Seek past the end: no error")
			}
			if err := s.Seek(-1); err == nil {
				t.Error("Seek(-1): no error")
			}
		})
	}
}

func TestSniff(t *testing.T) {
	mp3, err := os.ReadFile("testdata/tone.mp3")
	if err != nil {
		t.Fatal(err)
	}
	flac, err := os.ReadFile("testdata/tone.flac")
	if err != nil {
		t.Fatal(err)
	}
	id3 := func(body int, footer bool) []byte {
		h := []byte{'I', 'D', '3', 3, 0, 0, 0, 0, byte(body >> 7), byte(body & 0x7f)}
		if footer {
			h[3], h[5] = 4, 0x10
		}
		h = append(h, make([]byte, body)...)
		if footer {
			h = append(h, '3', 'D', 'I', 4, 0, 0x10, 0, 0, byte(body>>7), byte(body&0x7f))
		}
		return h
	}
	junk := bytes.Repeat([]byte{0x12, 0x34}, 500)
	tests := []struct {
		name    string
		data    []byte
		file    string
		want    int // samples
		wantErr error
	}{
		{"mp3", mp3, "a.mp3", 2205, nil},
		{"mp3 without extension", mp3, "a", 2205, nil},
		{"mp3 after ID3v2.3", append(id3(300, false), mp3...), "a", 2205, nil},
		{"mp3 after ID3v2.4 with footer", append(id3(300, true), mp3...), "a", 2205, nil},
		{"mp3 after two tags", append(append(id3(20, false), id3(40, false)...), mp3...), "", 2205, nil},
		{"mp3 after junk, named .mp3", append(append([]byte{}, junk...), mp3...), "a.MP3", 2205, nil},
		{"mp3 after junk, unnamed", append(append([]byte{}, junk...), mp3...), "a.bin", 0, ErrUnsupported},
		{"flac", flac, "", 400, nil},
		{"flac after ID3v2", append(id3(100, false), flac...), "", 400, nil},
		{"ogg", []byte("OggS\x00\x02 and more bytes"), "a.ogg", 0, ErrUnsupported},
		{"text", []byte("hello, this is not audio"), "a.wav", 0, ErrUnsupported},
		{"empty", nil, "a.mp3", 0, ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := decodeOrRefuse(t, tc.data, tc.file, tc.wantErr)
			if s == nil {
				return
			}
			if got := len(testtool.ReadAll(t, s, 1000)); got != tc.want {
				t.Errorf("%d samples, want %d", got, tc.want)
			}
		})
	}
}

func TestMP3Truncated(t *testing.T) {
	mp3, err := os.ReadFile("testdata/tone.mp3")
	if err != nil {
		t.Fatal(err)
	}
	// The Info tag promises three frames; one is left whole.
	s, _, err := decodeBytes(mp3[:len(mp3)/2], "a.mp3")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([][2]float64, 10000)
	n, ok := s.Stream(buf)
	if n != 47 || !ok { // one frame of 1152, less 1105 of delay
		t.Errorf("streamed %d of %d samples", n, s.Len())
	}
	if n, ok := s.Stream(buf); n != 0 || ok {
		t.Errorf("then Stream = %d, %v", n, ok)
	}
	if !errors.Is(s.Err(), ErrTruncated) {
		t.Errorf("Err() = %v, want ErrTruncated", s.Err())
	}
}

func TestOpenMissing(t *testing.T) {
	_, _, err := Open(filepath.Join(t.TempDir(), "none.wav"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing) = %v", err)
	}
}

// TestWAVHeaderClaimsMoreThanFileNamesIt: a header that promises more audio
// than the file holds is an error that names the file and both sizes.
func TestWAVHeaderClaimsMoreThanFileNamesIt(t *testing.T) {
	_, _, err := decodeBytes(wavBytes(1, 1, 8000, 16, 88200, make([]byte, 200)), "hold-still-0123456789abcdef.wav")
	want := "audio: hold-still-0123456789abcdef.wav: wav: the header says 88200 bytes of audio, the file holds 200: audio data ends early"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// TestOpenRefusesSpecialFiles: music or a clip named by a file may be a FIFO
// or a device; Open refuses them at once instead of blocking or reading on.
func TestOpenRefusesSpecialFiles(t *testing.T) {
	fifo := testtool.Mkfifo(t, filepath.Join(t.TempDir(), "bed.mp3"))
	for _, p := range []string{fifo, "/dev/zero", t.TempDir()} {
		done := make(chan error, 1)
		go func() { _, _, err := Open(p); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("Open(%s) = %v", p, err)
			}
		case <-time.After(10 * time.Second): // a hang, not slowness
			t.Fatalf("Open(%s) blocked", p)
		}
	}
}

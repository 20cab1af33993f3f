package audio

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to Decode: it must return an error or a
// streamer that keeps beep's contract (fills buffers until it ends, never
// returns (0, true), ends with an error or cleanly), seeks without panicking,
// and never hangs or panics. Seeds are the files in testdata.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		if filepath.Ext(p) == ".sh" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, filepath.Ext(p) == ".mp3")
	}
	f.Fuzz(func(t *testing.T, data []byte, mp3Name bool) {
		name := "x.bin"
		if mp3Name {
			name = "x.mp3"
		}
		s, format, err := decodeBytes(data, name)
		if err != nil {
			return
		}
		defer s.Close()
		if format.SampleRate <= 0 || format.NumChannels < 1 || format.NumChannels > 2 || s.Len() < 0 {
			t.Fatalf("format %+v, Len %d", format, s.Len())
		}
		buf := make([][2]float64, 777)
		drain := func(limit int) {
			total := 0
			for total < limit {
				n, ok := s.Stream(buf)
				total += n
				if !ok {
					if n != 0 {
						t.Fatalf("Stream returned %d samples with ok false", n)
					}
					return
				}
				if n == 0 {
					t.Fatal("Stream returned (0, true)")
				}
				if n < len(buf) {
					if n2, ok2 := s.Stream(buf); n2 != 0 || ok2 {
						t.Fatalf("short read of %d, then %d, %v", n, n2, ok2)
					}
					return
				}
			}
		}
		drain(1 << 20)
		for _, p := range []int{s.Len() / 2, 0, s.Len()} {
			if err := s.Seek(p); err == nil {
				drain(5000)
			}
		}
	})
}

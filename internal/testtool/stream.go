package testtool

import (
	"testing"

	"github.com/gopxl/beep/v2"
)

// ReadAll drains a streamer in reads of chunk samples and returns what it
// streamed. It holds the stream to beep's contract as our streamers keep
// it: every read fills the buffer until the stream ends (a StreamSeeker's
// short read comes only at its end), a read after the end gives nothing,
// and the stream's Err is nil.
func ReadAll(tb testing.TB, s beep.Streamer, chunk int) [][2]float64 {
	tb.Helper()
	var out [][2]float64
	if ss, ok := s.(beep.StreamSeeker); ok {
		out = make([][2]float64, 0, max(0, ss.Len()-ss.Position()))
	}
	buf := make([][2]float64, chunk)
	for {
		n, ok := s.Stream(buf)
		out = append(out, buf[:n]...)
		if !ok {
			break
		}
		if n < chunk {
			if ss, seeks := s.(beep.StreamSeeker); seeks && ss.Position() < ss.Len() {
				tb.Fatalf("short read of %d samples at %d of %d", n, ss.Position(), ss.Len())
			}
			if n2, ok2 := s.Stream(buf); n2 != 0 || ok2 {
				tb.Fatalf("short read of %d samples, then %d more", n, n2)
			}
			break
		}
	}
	if err := s.Err(); err != nil {
		tb.Fatalf("stream error: %v", err)
	}
	return out
}

package testtool

import (
	"fmt"

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

// Stream is a beep.StreamSeekCloser over samples in memory, for tests that
// feed the code under test. Err reports Fail (nil for none) from the start,
// as a source that failed on its way would. Hide its Seek behind
// struct{ beep.Streamer } to feed a stream that cannot seek.
type Stream struct {
	Samples [][2]float64
	Fail    error
	pos     int
}

var _ beep.StreamSeekCloser = (*Stream)(nil)

// Stream copies the next samples into dst.
func (s *Stream) Stream(dst [][2]float64) (int, bool) {
	n := copy(dst, s.Samples[s.pos:])
	s.pos += n
	return n, n > 0
}

// Err is Fail.
func (s *Stream) Err() error { return s.Fail }

// Len is the number of samples.
func (s *Stream) Len() int { return len(s.Samples) }

// Position is the index of the next sample.
func (s *Stream) Position() int { return s.pos }

// Seek moves to sample p, which must be within [0, Len].
func (s *Stream) Seek(p int) error {
	if p < 0 || p > len(s.Samples) {
		return fmt.Errorf("testtool: seek to %d of %d samples", p, len(s.Samples))
	}
	s.pos = p
	return nil
}

// Close does nothing.
func (s *Stream) Close() error { return nil }

// Discard streams s to its end through buf, as a sink that discards the
// samples does, and returns how many there were and the stream's Err, for a
// test that wants the stream to fail.
func Discard(s beep.Streamer, buf [][2]float64) (int, error) {
	total := 0
	for {
		n, ok := s.Stream(buf)
		total += n
		if !ok {
			break
		}
	}
	return total, s.Err()
}

// Drain is Discard where a stream error fails the test. Benchmarks drain
// what they time.
func Drain(tb testing.TB, s beep.Streamer, buf [][2]float64) int {
	tb.Helper()
	total, err := Discard(s, buf)
	if err != nil {
		tb.Fatalf("stream error: %v", err)
	}
	return total
}

package pulsetest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// TestServer plays a known signal into the sink with pacat and finds it in the
// recording of the monitor, so the helper is checked independently of oto.
func TestServer(t *testing.T) {
	s := Start(t)
	pacat := testtool.Require(t, "pacat")
	pactl := testtool.Require(t, "pactl")

	out, err := s.run(pactl, "get-default-sink")
	if err != nil || strings.TrimSpace(string(out)) != s.Sink {
		t.Fatalf("default sink %q (%v), want %q", out, err, s.Sink)
	}

	rec := s.Record(t)
	ref := noise(Rate/2, 7) // 0.5 s
	raw := make([]byte, 2*len(ref))
	for i, x := range ref {
		v := int16(x * 0.5 * 32767)
		raw[2*i], raw[2*i+1] = byte(v), byte(uint16(v)>>8)
	}
	cmd := exec.Command(pacat, "--playback", "--format=s16le", "--rate=44100", "--channels=1", "--raw")
	cmd.Env = s.env(os.Environ())
	cmd.Stdin = strings.NewReader(string(raw))
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pacat: %v: %s", err, out)
	}
	time.Sleep(200 * time.Millisecond)
	got, err := rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	d, c := Align(got, ref)
	if c < 0.98 {
		t.Fatalf("played signal not found in the recording: correlation %.4f", c)
	}
	// The monitor can miss the first milliseconds of a new stream: the null
	// sink renders ahead, and a stream joining rewinds the sink but not what the
	// monitor already got. Compare from 20 ms on.
	skip := Rate / 50
	if c := Corr(ref[skip:], got[d+skip:d+len(ref)]); c < 0.9999 {
		t.Errorf("correlation after the first 20 ms %.5f, want > 0.9999", c)
	}
	if g := Gain(ref[skip:], got[d+skip:d+len(ref)]); g < 0.499 || g > 0.501 {
		t.Errorf("gain %.4f, want 0.5", g)
	}
	if at := rec.TimeAt(d); at.Before(start.Add(-20 * time.Millisecond)) {
		t.Errorf("TimeAt says the signal played %v before pacat started", start.Sub(at))
	}
	if i := rec.Index(rec.TimeAt(12345)); i < 12344 || i > 12345 {
		t.Errorf("Index(TimeAt(12345)) = %d", i)
	}
	t.Logf("recorded %d samples; signal at %d, correlation %.5f", len(got), d, c)
}

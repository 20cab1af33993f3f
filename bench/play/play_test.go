// Package play measures how soon `routinecast play` is heard, beside paplay
// playing the exported file through the same private PulseAudio server:
//
//	go test ./bench/play -run '^$' -bench FirstSound -benchtime 5x
//
// It needs pulseaudio, pulseaudio-utils (parec, paplay) and go.
package play

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"routinecast/internal/pulsetest"
	"routinecast/internal/testtool"
)

// firstSound runs a player command against the server for a few seconds and
// returns how long after its start the first audible sample reached the sink.
func firstSound(b *testing.B, srv *pulsetest.Server, name string, args ...string) time.Duration {
	rec := srv.Record(b)
	time.Sleep(300 * time.Millisecond)
	cmd := exec.Command(name, args...)
	cmd.Env = pulsetest.MergeEnv(os.Environ(), srv.Env()...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	cmd.Process.Kill()
	cmd.Wait()
	s, err := rec.Stop()
	if err != nil {
		b.Fatal(err)
	}
	for i, v := range s {
		if v > 0.003 || v < -0.003 {
			return rec.TimeAt(i).Sub(start)
		}
	}
	b.Fatalf("%s: nothing was heard", name)
	return 0
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func BenchmarkFirstSound(b *testing.B) {
	testtool.Require(b, "pulseaudio")
	paplay := testtool.Require(b, "paplay")
	dir := b.TempDir()
	bin := filepath.Join(dir, "routinecast")
	if out, err := exec.Command("go", "build", "-o", bin, "routinecast").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	wav := filepath.Join(dir, "gentle.wav")
	if out, err := exec.Command(bin, "export", "lower-back", "--level", "gentle", "-o", wav).CombinedOutput(); err != nil {
		b.Fatalf("export: %v\n%s", err, out)
	}
	srv := pulsetest.Start(b)
	var ours, ref []time.Duration
	for b.Loop() {
		ours = append(ours, firstSound(b, srv, bin, "play", "lower-back", "--level", "gentle"))
		ref = append(ref, firstSound(b, srv, paplay, wav))
	}
	o, r := median(ours), median(ref)
	b.ReportMetric(float64(o.Milliseconds()), "ms-routinecast-play")
	b.ReportMetric(float64(r.Milliseconds()), "ms-paplay-wav")
	b.ReportMetric(float64(o)/float64(r), "ratio")
}

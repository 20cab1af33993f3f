package pack

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"routinecast/audio"
)

// TestBuildWithBuiltInBed: a pack whose music is a built-in bed builds with
// nothing but the program, and its episodes carry the bed under the voice:
// where the episode without music is silent (the settle before a hold, a gap
// between lines), the one with the bed is not, and the bed is quieter than
// the voice.
func TestBuildWithBuiltInBed(t *testing.T) {
	_, plainDir, _ := sharedBuild(t)
	file := fixture(t)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("episodes:\n"), []byte("music: calm\nepisodes:\n"), 1)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	p := loadPack(t, file)
	if p.Episodes[0].Music != "calm" {
		t.Fatalf("episode 1's music %q, want the pack's calm", p.Episodes[0].Music)
	}
	dir := filepath.Join(filepath.Dir(file), "public")
	build(t, p, dir, BuildOptions{})

	name := p.Episodes[0].mp3Name()
	plain := monoOf(t, filepath.Join(plainDir, name))
	bed := monoOf(t, filepath.Join(dir, name))
	if d := len(plain) - len(bed); d < -2048 || d > 2048 {
		t.Fatalf("the episode with music lasts %d samples, without %d: not the same track", len(bed), len(plain))
	}
	// The quietest quarter second of the plain episode, away from its ends.
	const win = 44100 / 4
	quiet, quietAt := math.Inf(1), 0
	for at := len(plain) / 10; at+win < len(plain)*9/10; at += win / 4 {
		if r := rmsDB(plain[at : at+win]); r < quiet {
			quiet, quietAt = r, at
		}
	}
	if quiet > -60 {
		t.Fatalf("the plain episode has no silence to compare (quietest %.1f dBFS)", quiet)
	}
	under := rmsDB(bed[quietAt : quietAt+win])
	whole := rmsDB(bed)
	t.Logf("at %.2f s: without music %.1f dBFS, with calm %.1f dBFS; whole episode with calm %.1f dBFS", float64(quietAt)/44100, quiet, under, whole)
	if under < -55 {
		t.Errorf("with music: %.1f dBFS where the plain episode is silent; no bed under the voice", under)
	}
	if under > whole-3 {
		t.Errorf("the bed alone (%.1f dBFS) is not under the whole episode (%.1f dBFS)", under, whole)
	}
}

// monoOf decodes an audio file at 44.1 kHz as the mean of its channels.
func monoOf(t *testing.T, path string) []float64 {
	t.Helper()
	s, format, err := audio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if format.SampleRate != 44100 {
		t.Fatalf("%s: %d Hz, want 44100", path, format.SampleRate)
	}
	var out []float64
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		for _, v := range buf[:n] {
			out = append(out, (v[0]+v[1])/2)
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func rmsDB(x []float64) float64 {
	var sum float64
	for _, v := range x {
		sum += v * v
	}
	return 10 * math.Log10(sum/float64(len(x))+1e-20)
}

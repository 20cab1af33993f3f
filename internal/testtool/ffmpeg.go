package testtool

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FFmpegDecode decodes a file with ffmpeg to float samples in beep's layout
// (a mono file's one channel in both), skipping the test without ffmpeg.
func FFmpegDecode(tb testing.TB, path string, channels int) [][2]float64 {
	tb.Helper()
	raw := Output(tb, Require(tb, "ffmpeg"), "-nostdin", "-v", "error", "-i", path, "-f", "f64le", "-c:a", "pcm_f64le", "-")
	out := make([][2]float64, len(raw)/8/channels)
	for i := range out {
		for c := range channels {
			out[i][c] = math.Float64frombits(binary.LittleEndian.Uint64(raw[(i*channels+c)*8:]))
		}
		if channels == 1 {
			out[i][1] = out[i][0]
		}
	}
	return out
}

// Loudness is what ffmpeg's ebur128 filter reads of a file: LUFS, dBTP and
// dBFS.
type Loudness struct {
	Integrated, TruePeak, SamplePeak float64
}

// FFmpegLoudness measures a file with ffmpeg's ebur128 filter, an
// independent BS.1770 meter, skipping the test without ffmpeg. loops > 0
// plays the file that many extra times, for clips shorter than one 400 ms
// block. Integrated loudness comes from the filter's metadata (three
// decimals; the summary prints one), peaks from the metadata when loud
// enough for its three linear decimals to beat the summary's one decibel
// decimal.
func FFmpegLoudness(tb testing.TB, path string, loops int) Loudness {
	tb.Helper()
	ff := Require(tb, "ffmpeg")
	// Not tb.TempDir(): the test's name may hold a comma, which would end
	// the filter's file option.
	dir, err := os.MkdirTemp("", "ebur128")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	meta := filepath.Join(dir, "meta.txt")
	args := []string{"-nostdin", "-nostats"}
	if loops > 0 {
		args = append(args, "-stream_loop", strconv.Itoa(loops))
	}
	args = append(args, "-i", path, "-af",
		"ebur128=peak=sample+true:framelog=verbose:metadata=1,ametadata=mode=print:file="+meta, "-f", "null", "-")
	_, stderr, err := Run(tb, ff, args...)
	if err != nil {
		tb.Fatalf("ffmpeg: %v\n%s", err, stderr)
	}
	summary := string(stderr)
	i := strings.LastIndex(summary, "Summary:")
	if i < 0 {
		tb.Fatalf("no summary in ffmpeg's output:\n%s", summary)
	}
	summary = summary[i:]
	num := func(re string) float64 {
		m := regexp.MustCompile(re).FindStringSubmatch(summary)
		if m == nil {
			tb.Fatalf("%q not in ffmpeg's summary:\n%s", re, summary)
		}
		v, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
	r := Loudness{
		Integrated: num(`I:\s+(-?[\d.]+|-inf) LUFS`),
		SamplePeak: num(`(?s)Sample peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`),
		TruePeak:   num(`(?s)True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`),
	}
	text, err := os.ReadFile(meta)
	if err != nil {
		tb.Fatal(err)
	}
	last := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || !strings.HasPrefix(k, "lavfi.r128.") {
			continue
		}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			last[strings.TrimPrefix(k, "lavfi.r128.")] = x
		}
	}
	if v, ok := last["I"]; ok && math.Abs(v-r.Integrated) <= 0.051 {
		r.Integrated = v
	}
	for key, dst := range map[string]*float64{"true_peak": &r.TruePeak, "sample_peak": &r.SamplePeak} {
		if v, ok := last[key]; ok && v >= 0.1 && math.Abs(20*math.Log10(v)-*dst) <= 0.051 {
			*dst = 20 * math.Log10(v)
		}
	}
	return r
}

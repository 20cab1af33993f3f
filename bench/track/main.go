// Command trackbench exports a built-in routine as `routinecast export`
// does (embedded voice, MP3) and measures what a listener notices on the
// result, printing the figures:
//
//   - integrated loudness and true peak (ffmpeg's ebur128 filter);
//
//   - every countdown tone's offset from its timeline sample (the decoded
//     file correlated with the tone as the mixer makes it);
//
//   - the smallest gap between two voice events and the median words per
//     minute of the lines of six words or more;
//
//   - the loudness of the tones and of the short lines (one or two words)
//     against the median line's;
//
//   - the breathing cues' level through a 400 Hz high-pass (a phone's
//     speaker) against the voice's through the same filter, and where their
//     loudness peaks against the turn from inhale to exhale.
//
//     go run ./bench/track [-routine lower-back] [-level standard] [-breath noise] [-keep out.mp3]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/export"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/routines"
)

func main() {
	name := flag.String("routine", "lower-back", "built-in routine")
	level := flag.String("level", "standard", "gentle, standard or full")
	breath := flag.String("breath", "noise", "breathing sound: noise, tone, pad or none")
	keep := flag.String("keep", "", "keep the exported MP3 here")
	flag.Parse()
	if err := run(*name, routines.Level(*level), *breath, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "trackbench:", err)
		os.Exit(1)
	}
}

func run(name string, level routines.Level, breath, keep string) error {
	r, err := routines.Builtin(name)
	if err != nil {
		return err
	}
	var mo mixer.Options
	var ok bool
	if mo.Breathing.Sound, ok = breathSound(breath); !ok {
		return fmt.Errorf("-breath %q: noise, tone, pad or none", breath)
	}
	path := keep
	if path == "" {
		dir, err := os.MkdirTemp("", "trackbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "track.mp3")
	}
	start := time.Now()
	res, err := export.WriteFile(context.Background(), path, job.Options{Routine: r, Level: level, Mixer: mo}, export.Options{})
	if err != nil {
		return err
	}
	tl := res.Timeline
	fmt.Printf("%s, level %s, breathing %s: %v, exported in %.1f s\n", name, level, breath, res.Duration.Round(time.Millisecond), time.Since(start).Seconds())

	if err := ffmpegLoudness(path); err != nil {
		return err
	}
	if err := beepOffsets(path, tl); err != nil {
		return err
	}
	pacing(tl)
	return levels(path, tl)
}

// breathSound is the breathing sound that the CLI names name.
func breathSound(name string) (mixer.BreathSound, bool) {
	for s := mixer.BreathNoise; s <= mixer.BreathNone; s++ {
		if s.String() == name {
			return s, true
		}
	}
	return 0, false
}

var (
	reI  = regexp.MustCompile(`(?m)^\s*I:\s+(-?[0-9.]+) LUFS`)
	rePk = regexp.MustCompile(`(?m)^\s*Peak:\s+(-?[0-9.]+|-inf) dBFS`)
)

// ffmpegLoudness prints ffmpeg's integrated loudness and true peak.
func ffmpegLoudness(path string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("ffmpeg (apt-get install ffmpeg): %v", err)
	}
	out := stderr.String()
	if i := strings.LastIndex(out, "Summary:"); i >= 0 {
		out = out[i:]
	}
	li, pk := reI.FindStringSubmatch(out), rePk.FindStringSubmatch(out)
	if li == nil || pk == nil {
		return fmt.Errorf("ffmpeg printed no summary: %s", out)
	}
	fmt.Printf("ffmpeg ebur128: integrated %s LUFS, true peak %s dBTP\n", li[1], pk[1])
	return nil
}

// beepOffsets measures where each countdown tone starts in the decoded
// file against its timeline sample. The mixer starts a tone at phase zero
// on its start sample, so the tone's phase in its steady middle, against a
// sine started there, gives the offset to a fraction of a sample (modulo a
// period); the onset, where the tone first reaches a tenth of its level,
// picks the period.
func beepOffsets(path string, tl *mixer.Timeline) error {
	s, format, err := audio.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	if format.SampleRate != tl.SampleRate {
		return fmt.Errorf("the file is at %d Hz, the timeline at %d", format.SampleRate, tl.SampleRate)
	}
	var tones []mixer.Event
	for _, e := range tl.Events {
		if e.Kind == mixer.Beep || e.Kind == mixer.EndTone {
			tones = append(tones, e)
		}
	}
	sr := float64(tl.SampleRate)
	const pre = 400
	var offsets []float64
	buf := make([][2]float64, 8192)
	pos, next := 0, 0
	var win []float64
	for next < len(tones) {
		n, ok := s.Stream(buf)
		for _, v := range buf[:n] {
			e := tones[next%len(tones)]
			if next < len(tones) && pos >= e.Start-pre && pos < e.End {
				win = append(win, v[0])
			}
			pos++
			if next < len(tones) && pos == e.End {
				offsets = append(offsets, toneOffset(win, pre, e, sr))
				win = win[:0]
				next++
			}
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	within := 0
	worst := 0.0
	for _, o := range offsets {
		if math.Abs(o) < 0.5 {
			within++
		}
		worst = max(worst, math.Abs(o))
	}
	fmt.Printf("countdown tones within half a sample of their timeline sample: %d of %d (largest offset %.2f samples, %.3f ms)\n",
		within, len(tones), worst, worst/sr*1000)
	return nil
}

// toneOffset returns how many samples late the tone e starts in win, which
// holds the track from pre samples before e.Start to e.End.
func toneOffset(win []float64, pre int, e mixer.Event, sr float64) float64 {
	n := e.Len()
	if len(win) < pre+n {
		return math.Inf(1)
	}
	w := 2 * math.Pi * e.Freq / sr
	var i, q float64
	for k := n / 4; k < 3*n/4; k++ {
		x := win[pre+k]
		i += x * math.Sin(w*float64(k))
		q += x * math.Cos(w*float64(k))
	}
	// x ≈ A·sin(w·(k-d)) = A·(sin(wk)cos(wd) - cos(wk)sin(wd)).
	fine := math.Atan2(-q, i) / w // d modulo a period
	var peak float64
	for _, x := range win[pre : pre+n] {
		peak = max(peak, math.Abs(x))
	}
	onset := 0
	for k, x := range win {
		if math.Abs(x) > peak/10 {
			onset = k - pre
			break
		}
	}
	period := 2 * math.Pi / w
	// The raised-cosine fade-in reaches a tenth of the level 0.205 of the
	// way through, and the sine its crest within a quarter period after:
	// take the period whose offset is nearest the onset less that.
	coarse := float64(onset) - 0.205*float64(e.FadeIn) - period/8
	best := fine
	for m := -20; m <= 20; m++ {
		c := fine + float64(m)*period
		if math.Abs(c-coarse) < math.Abs(best-coarse) {
			best = c
		}
	}
	return best
}

// pacing prints the smallest gap between voice events and the median pace
// of the long lines.
func pacing(tl *mixer.Timeline) {
	sr := float64(tl.SampleRate)
	minGap, prevEnd := math.Inf(1), -1
	var at string
	var wpm []float64
	for _, e := range tl.Events {
		if !e.Kind.Voice() {
			continue
		}
		if prevEnd >= 0 {
			if g := float64(e.Start-prevEnd) / sr; g < minGap {
				minGap, at = g, e.Text
			}
		}
		prevEnd = e.End
		if w := len(strings.Fields(e.Text)); w >= 6 && e.Kind == mixer.Speech {
			wpm = append(wpm, float64(w)/(float64(e.Len())/sr)*60)
		}
	}
	sort.Float64s(wpm)
	fmt.Printf("smallest gap between voice events: %.3f s (before %q)\n", minGap, at)
	fmt.Printf("long lines (6+ words): %d, median %.0f words per minute\n", len(wpm), wpm[len(wpm)/2])
}

// analysisRate is the rate the level figures are measured at: enough for
// speech and tones, and a 30-minute track fits in memory.
const analysisRate = 16000

// levels measures loudness of lines, tones and breaths on the decoded file.
func levels(path string, tl *mixer.Timeline) error {
	s, format, err := audio.Open(path)
	if err != nil {
		return err
	}
	defer s.Close()
	var mono []float64
	buf := make([][2]float64, 8192)
	for {
		n, ok := s.Stream(buf)
		for _, v := range buf[:n] {
			mono = append(mono, v[0])
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	x := make([]float32, 0, audio.ResampledLen(len(mono), format.SampleRate, analysisRate))
	for _, v := range audio.ResampleMono(mono, format.SampleRate, analysisRate) {
		x = append(x, float32(v))
	}
	hp := highPass400(x)
	at := func(n int) int { return int(int64(n) * analysisRate / int64(tl.SampleRate)) }
	seg := func(sig []float32, a, b int) [][2]float64 {
		a, b = max(0, at(a)), min(len(sig), at(b))
		out := make([][2]float64, max(0, b-a))
		for i := range out {
			v := float64(sig[a+i])
			out[i] = [2]float64{v, v}
		}
		return out
	}
	lufs := func(sig []float32, a, b int) float64 {
		m := loudness.NewMeter(analysisRate, 1)
		m.Write(seg(sig, a, b))
		return m.Integrated()
	}
	var lines, linesHP, short, tones []float64
	for _, e := range tl.Events {
		switch {
		case e.Kind.Voice():
			l := lufs(x, e.Start, e.End)
			lines = append(lines, l)
			linesHP = append(linesHP, lufs(hp, e.Start, e.End))
			if len(strings.Fields(e.Text)) <= 2 {
				short = append(short, l)
			}
		case e.Kind == mixer.Beep || e.Kind == mixer.EndTone:
			tones = append(tones, lufs(x, e.Start, e.End))
		}
	}
	med := median(lines)
	fmt.Printf("lines: %d, median %.1f LUFS (%.1f through a 400 Hz high-pass)\n", len(lines), med, median(linesHP))
	fmt.Printf("short lines (1-2 words): %d, median %+.1f LU from the median line, range %+.1f to %+.1f\n",
		len(short), median(short)-med, minOf(short)-med, maxOf(short)-med)
	fmt.Printf("countdown tones: %d, median %+.1f LU from the median line, range %+.1f to %+.1f\n",
		len(tones), median(tones)-med, minOf(tones)-med, maxOf(tones)-med)

	// Breaths: each inhale joined by an exhale, measured through the
	// high-pass away from any voice.
	var breathHP, peaks []float64
	ev := tl.Events
	for i, e := range ev {
		if e.Kind != mixer.BreatheIn {
			continue
		}
		var out *mixer.Event
		for j := i + 1; j < len(ev) && ev[j].Start <= e.End; j++ {
			if ev[j].Kind == mixer.BreatheOut && ev[j].Start == e.End {
				out = &ev[j]
			}
		}
		if out == nil {
			continue
		}
		a, b := e.Start, out.End
		for _, v := range ev {
			if v.Kind.Voice() && v.End > a && v.Start < b && v.Start <= a {
				a = v.End // skip the phrase said at the breath's start
			}
		}
		if b-a < tl.SampleRate.N(time.Second) {
			continue
		}
		breathHP = append(breathHP, lufs(hp, a, b))
		// The loudest 500 ms (every 10 ms) through the high-pass.
		w, hop := analysisRate/2, analysisRate/100
		lo, hi := at(a), at(b)
		best, c := -1.0, 0
		for p := lo; p+w <= hi; p += hop {
			var pw float64
			for _, v := range hp[p : p+w] {
				pw += float64(v) * float64(v)
			}
			if pw > best {
				best, c = pw, p+w/2
			}
		}
		peaks = append(peaks, float64(c-at(e.End))/analysisRate)
	}
	if len(breathHP) == 0 {
		fmt.Println("breaths: none measured (no sound, or no inhale joined by an exhale)")
		return nil
	}
	abspk := make([]float64, len(peaks))
	for i, p := range peaks {
		abspk[i] = math.Abs(p)
	}
	fmt.Printf("breaths (inhale+exhale, %d): through a 400 Hz high-pass median %.1f LUFS, %+.1f LU from the median line's %.1f\n",
		len(breathHP), median(breathHP), median(breathHP)-median(linesHP), median(linesHP))
	fmt.Printf("breath loudness peak against the turn: median %+.3f s, largest |offset| %.3f s\n", median(peaks), maxOf(abspk))
	return nil
}

// highPass400 is a 4th-order Butterworth high-pass at 400 Hz (two
// second-order sections), a small phone speaker's low end.
func highPass400(x []float32) []float32 {
	out := make([]float32, len(x))
	copy(out, x)
	for _, q := range []float64{0.5412, 1.3066} {
		k := math.Tan(math.Pi * 400 / analysisRate)
		norm := 1 / (1 + k/q + k*k)
		b0, b1, b2 := norm, -2*norm, norm
		a1, a2 := 2*(k*k-1)*norm, (1-k/q+k*k)*norm
		var x1, x2, y1, y2 float64
		for i, v := range out {
			xv := float64(v)
			y := b0*xv + b1*x1 + b2*x2 - a1*y1 - a2*y2
			x2, x1, y2, y1 = x1, xv, y1, y
			out[i] = float32(y)
		}
	}
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func minOf(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// Command voicebench measures how well narration clips keep their
// intelligibility: it renders a fixed set of lines of the lower-back routine
// with festival at each speaking rate asked for, stores them as the embedded
// voice would be stored at each clip setting asked for (through
// narration.Import, the same trimming, loudness and encoder as a rendered
// voice), optionally encodes them with LAME as well, and reports for each:
//
//   - the word error rate of pocketsphinx (Debian pocketsphinx and
//     pocketsphinx-en-us) on the clips, against the lines' own words;
//   - the share of spectrogram cells that lose more than 10 dB against the
//     fresh render, overall and in the quietest third of frames;
//   - the median words per minute of the lines of six words or more;
//   - the bytes the whole embedded voice would take (scaled from the set).
//
// With -embedded it measures the embedded voice's own clips of the same lines.
//
//	go run ./bench/voice -rates 1,0.85 -settings 24000/40,16000/32 -lame -embedded
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/cmplx"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/gopxl/beep/v2"

	"routinecast/bench/internal/wavfile"
	"routinecast/narration"
	"routinecast/routines"
)

func main() {
	rates := flag.String("rates", "1", "festival speaking rates to try, comma-separated")
	settings := flag.String("settings", "24000/40", "MP3 clip settings to try, rate/kbps, comma-separated")
	nlines := flag.Int("lines", 30, "lines in the fixed set")
	lame := flag.Bool("lame", false, "also encode each setting with LAME, at the first rate")
	embedded := flag.Bool("embedded", false, "also measure the embedded voice (against the first rate's renders)")
	keep := flag.String("work", "", "work folder to keep (default: a temporary one, removed)")
	flag.Parse()
	if err := run(*rates, *settings, *nlines, *lame, *embedded, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "voicebench:", err)
		os.Exit(1)
	}
}

// line is one line of the set with its reference words.
type line struct {
	text  string
	words []string
}

// result is what one way of storing the clips measured.
type result struct {
	name              string
	wer               float64
	errs, words       int
	lost, lostQuiet   float64
	wpm               float64
	bytes, voiceBytes int64
	setSeconds        float64
}

func run(rateList, settingList string, nlines int, lame, embedded bool, keep string) error {
	for _, tool := range []string{"text2wave", "pocketsphinx_continuous"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is missing: apt-get install festival festvox-us-slt-hts pocketsphinx pocketsphinx-en-us", tool)
		}
	}
	work := keep
	if work == "" {
		d, err := os.MkdirTemp("", "voicebench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	}
	lines, all, err := lineSet(nlines)
	if err != nil {
		return err
	}
	texts := make([]string, len(lines))
	for i, l := range lines {
		texts[i] = l.text
	}
	fmt.Printf("%d lines of %d (every %dth line of lower-back at every level)\n", len(lines), len(all), max(1, len(all)/nlines))
	ctx := context.Background()
	var results []result
	for ri, rs := range strings.Split(rateList, ",") {
		rate, err := strconv.ParseFloat(rs, 64)
		if err != nil {
			return fmt.Errorf("rate %q: %w", rs, err)
		}
		spec := narration.EngineSpec{Name: "festival", Voice: "cmu_us_slt_arctic_hts"}
		if rate != 1 {
			spec.Rate = rate
		}
		freshDir := filepath.Join(work, "fresh-"+rs)
		fresh, err := narration.Create(freshDir, narration.Manifest{Name: "fresh", Language: "en", Engine: spec})
		if err != nil {
			return err
		}
		start := time.Now()
		if _, err := narration.Render(ctx, fresh, texts, narration.RenderOptions{}); err != nil {
			return err
		}
		fmt.Printf("rate %s: festival rendered %d lines in %.1f s\n", rs, len(texts), time.Since(start).Seconds())
		ref, err := measure(fmt.Sprintf("festival WAV, rate %s", rs), fresh, nil, lines, all)
		if err != nil {
			return err
		}
		results = append(results, ref)
		if embedded && ri == 0 {
			// Spectrogram cells against the first rate's fresh renders:
			// right when the embedded voice was made at that rate.
			r, err := measure("embedded voice", narration.Default(), fresh, lines, all)
			if err != nil {
				return err
			}
			results = append(results, r)
		}
		// The recordings folder Import reads: the fresh clips under their
		// recording names.
		rec := filepath.Join(work, "rec-"+rs)
		if err := os.MkdirAll(rec, 0o755); err != nil {
			return err
		}
		for _, t := range texts {
			f, _ := fresh.ClipFile(t)
			if err := os.Link(filepath.Join(freshDir, f), filepath.Join(rec, narration.RecordingFile(t))); err != nil && !errors.Is(err, os.ErrExist) {
				return err
			}
		}
		for _, st := range strings.Split(settingList, ",") {
			if st == "" {
				continue
			}
			var sr, kbps int
			if _, err := fmt.Sscanf(st, "%d/%d", &sr, &kbps); err != nil {
				return fmt.Errorf("setting %q: want rate/kbps", st)
			}
			dir := filepath.Join(work, fmt.Sprintf("ours-%s-%d-%d", rs, sr, kbps))
			v, err := narration.Create(dir, narration.Manifest{Name: "bench", Language: "en",
				Engine: narration.EngineSpec{Name: narration.Recorded},
				Clips:  narration.ClipFormat{Format: "mp3", SampleRate: sr, Bitrate: kbps}})
			if err != nil {
				return err
			}
			if _, err := narration.Import(ctx, v, rec, narration.ImportOptions{Expected: texts}); err != nil {
				return err
			}
			r, err := measure(fmt.Sprintf("ours %d Hz %d kbps, rate %s", sr, kbps, rs), v, fresh, lines, all)
			if err != nil {
				return err
			}
			results = append(results, r)
			if lame && ri == 0 {
				ldir := filepath.Join(work, fmt.Sprintf("lame-%s-%d-%d", rs, sr, kbps))
				lv, err := lameVoice(ctx, v, ldir, sr, kbps, texts)
				if err != nil {
					return err
				}
				r, err := measure(fmt.Sprintf("LAME %d Hz %d kbps, rate %s", sr, kbps, rs), lv, fresh, lines, all)
				if err != nil {
					return err
				}
				results = append(results, r)
			}
		}
	}
	fmt.Println()
	fmt.Println("| clips | WER | errors/words | cells lost >10 dB | in quietest third | median wpm (6+ words) | voice size (est.) |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range results {
		lost, quiet := "-", "-"
		if !math.IsNaN(r.lost) {
			lost, quiet = fmt.Sprintf("%.2f%%", 100*r.lost), fmt.Sprintf("%.2f%%", 100*r.lostQuiet)
		}
		size := "-"
		if r.voiceBytes > 0 {
			size = fmt.Sprintf("%.2f MB", float64(r.voiceBytes)/1e6)
		}
		fmt.Printf("| %s | %.1f%% | %d/%d | %s | %s | %.0f | %s |\n", r.name, 100*r.wer, r.errs, r.words, lost, quiet, r.wpm, size)
	}
	return nil
}

// lineSet returns a fixed, spread-out subset of the distinct lines of the
// lower-back routine at every level, and all of them.
func lineSet(n int) ([]line, []string, error) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		return nil, nil, err
	}
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		s, err := routines.Expand(r, l)
		if err != nil {
			return nil, nil, err
		}
		scripts = append(scripts, s)
	}
	all := narration.Texts(narration.Lines(scripts...))
	step := max(1, len(all)/n)
	var out []line
	for i := 0; i < len(all) && len(out) < n; i += step {
		out = append(out, line{all[i], words(all[i])})
	}
	return out, all, nil
}

// words splits text into lower-case words as the recogniser spells them:
// letters and apostrophes, hyphens split.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' })
}

// measure runs the recogniser on a voice's clips of lines and, when ref is
// given, compares their spectrograms with ref's clips.
func measure(name string, v *narration.Voice, ref *narration.Voice, lines []line, all []string) (result, error) {
	r := result{name: name, lost: math.NaN()}
	const sr = 16000
	set := v.Clips(sr)
	var refSet *narration.ClipSet
	if ref != nil {
		refSet = ref.Clips(sr)
	}
	dir, err := os.MkdirTemp("", "voicebench-asr-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	type one struct {
		errs, words     int
		cells, lost     int
		qcells, qlost   int
		wpm             float64
		seconds, nwords float64
		bytes           int64
		err             error
	}
	outs := make([]one, len(lines))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, l := range lines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			o := &outs[i]
			pcm, err := load(set, l.text)
			if err != nil {
				o.err = err
				return
			}
			if f, ok := v.ClipFile(l.text); ok {
				if st, err := os.Stat(filepath.Join(v.Dir(), f)); err == nil {
					o.bytes = st.Size()
				}
			}
			if v.Dir() == "" {
				o.bytes = embeddedSize(v, l.text)
			}
			o.seconds = float64(len(pcm)) / sr
			o.nwords = float64(len(l.words))
			if len(l.words) >= 6 {
				o.wpm = o.nwords / o.seconds * 60
			}
			if err := writeWAV(filepath.Join(dir, fmt.Sprintf("c%03d.wav", i)), pcm, sr); err != nil {
				o.err = err
				return
			}
			if refSet != nil {
				want, err := load(refSet, l.text)
				if err != nil {
					o.err = err
					return
				}
				o.cells, o.lost, o.qcells, o.qlost = cellsLost(want, pcm)
			}
		}()
	}
	wg.Wait()
	for _, o := range outs {
		if o.err != nil {
			return r, o.err
		}
	}
	hyps, err := recognise(dir, len(lines))
	if err != nil {
		return r, err
	}
	for i, l := range lines {
		outs[i].errs, outs[i].words = editDistance(l.words, words(hyps[i])), len(l.words)
	}
	var wpm []float64
	var cells, lost, qcells, qlost int
	var setBytes int64
	for _, o := range outs {
		if o.err != nil {
			return r, o.err
		}
		r.errs += o.errs
		r.words += o.words
		cells += o.cells
		lost += o.lost
		qcells += o.qcells
		qlost += o.qlost
		if o.wpm > 0 {
			wpm = append(wpm, o.wpm)
		}
		setBytes += o.bytes
		r.setSeconds += o.seconds
	}
	r.wer = float64(r.errs) / float64(r.words)
	if refSet != nil && cells > 0 {
		r.lost = float64(lost) / float64(cells)
		r.lostQuiet = float64(qlost) / float64(max(1, qcells))
	}
	sort.Float64s(wpm)
	if len(wpm) > 0 {
		r.wpm = wpm[len(wpm)/2]
	}
	// The whole voice's size, scaled by characters from the set's.
	var setChars, allChars int
	for _, l := range lines {
		setChars += len(l.text)
	}
	for _, t := range all {
		allChars += len(t)
	}
	r.bytes = setBytes
	r.voiceBytes = setBytes * int64(allChars) / int64(max(1, setChars))
	return r, nil
}

// embeddedSize is the size of the embedded voice's clip of text.
func embeddedSize(v *narration.Voice, text string) int64 {
	want := v.FileName(text)
	matches, _ := filepath.Glob(filepath.Join("narration", "defaultvoice", want))
	for _, m := range matches {
		if st, err := os.Stat(m); err == nil {
			return st.Size()
		}
	}
	return 0
}

// load decodes a clip whole, as mono.
func load(set *narration.ClipSet, text string) ([]float64, error) {
	s, err := set.Open(text)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	buf := make([][2]float64, s.Len())
	n, _ := s.Stream(buf)
	out := make([]float64, n)
	for i, v := range buf[:n] {
		out[i] = v[0]
	}
	return out, s.Err()
}

// writeWAV writes pcm as a 16-bit mono WAV, with a quarter second of
// silence on each side to give the recogniser room.
func writeWAV(path string, pcm []float64, sr beep.SampleRate) error {
	pad := int(sr) / 4
	padded := make([]float64, len(pcm)+2*pad)
	copy(padded[pad:], pcm)
	return wavfile.Write(path, int(sr), padded)
}

// recognise runs pocketsphinx (US English model, its default) over the n
// clips c000.wav... in dir in one batch, which loads the model once, and
// returns the hypothesis of each.
func recognise(dir string, n int) ([]string, error) {
	var ctl strings.Builder
	for i := range n {
		fmt.Fprintf(&ctl, "c%03d\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "ctl"), []byte(ctl.String()), 0o644); err != nil {
		return nil, err
	}
	hypFile := filepath.Join(dir, "hyp")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "pocketsphinx_batch", "-adcin", "yes", "-adchdr", "44",
		"-cepdir", dir, "-cepext", ".wav", "-ctl", filepath.Join(dir, "ctl"), "-hyp", hypFile, "-logfn", os.DevNull)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pocketsphinx_batch: %v: %s", err, out)
	}
	data, err := os.ReadFile(hypFile)
	if err != nil {
		return nil, err
	}
	hyps := make([]string, n)
	for _, ln := range strings.Split(string(data), "\n") {
		// "words words (c007 -1234)"
		open := strings.LastIndex(ln, "(")
		if open < 0 {
			continue
		}
		var id, score int
		if _, err := fmt.Sscanf(ln[open:], "(c%d %d)", &id, &score); err != nil || id < 0 || id >= n {
			continue
		}
		hyps[id] = strings.TrimSpace(ln[:open])
	}
	return hyps, nil
}

// editDistance is the word-level Levenshtein distance: substitutions,
// insertions and deletions.
func editDistance(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Spectrogram cells: 32 ms Hann frames every 16 ms at 16 kHz, in 250 Hz
// bands up to 8 kHz. A cell counts when the reference's is within 50 dB of
// the clip's loudest cell; it is lost when the coded clip's is more than
// 10 dB under the reference's.
const (
	fftN      = 512
	hop       = 256
	bandBins  = 8 // 250 Hz at 16 kHz / 512
	cellRange = 50.0
	lostBy    = 10.0
)

// cellsLost compares the spectrograms of ref and got (aligned: both decoders
// trim the codec delay) and counts cells and lost cells, overall and in the
// quietest third of frames (by the reference's frame energy, among frames
// with at least one counted cell).
func cellsLost(ref, got []float64) (cells, lost, qcells, qlost int) {
	// Re-trimming and other decoders' delays can shift a clip by some
	// milliseconds: align on the best cross-correlation first.
	if lag := bestLag(ref, got, 1600); lag > 0 {
		got = got[lag:]
	} else {
		ref = ref[-lag:]
	}
	n := min(len(ref), len(got))
	if n < fftN {
		return 0, 0, 0, 0
	}
	win := make([]float64, fftN)
	for i := range win {
		win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/fftN)
	}
	spec := func(x []float64) [][]float64 {
		var out [][]float64
		buf := make([]complex128, fftN)
		for s := 0; s+fftN <= n; s += hop {
			for i := range buf {
				buf[i] = complex(x[s+i]*win[i], 0)
			}
			fft(buf)
			bands := make([]float64, fftN/2/bandBins)
			for b := range bands {
				for k := b * bandBins; k < (b+1)*bandBins; k++ {
					a := cmplx.Abs(buf[k])
					bands[b] += a * a
				}
			}
			out = append(out, bands)
		}
		return out
	}
	rs, gs := spec(ref), spec(got)
	var top float64
	for _, f := range rs {
		for _, e := range f {
			top = max(top, e)
		}
	}
	floor := top * math.Pow(10, -cellRange/10)
	type frame struct {
		energy      float64
		cells, lost int
	}
	var frames []frame
	for i, f := range rs {
		var fr frame
		for b, e := range f {
			fr.energy += e
			if e < floor {
				continue
			}
			fr.cells++
			if gs[i][b] < e*math.Pow(10, -lostBy/10) {
				fr.lost++
			}
		}
		if fr.cells > 0 {
			frames = append(frames, fr)
		}
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i].energy < frames[j].energy })
	for i, f := range frames {
		cells += f.cells
		lost += f.lost
		if i < len(frames)/3 {
			qcells += f.cells
			qlost += f.lost
		}
	}
	return cells, lost, qcells, qlost
}

// bestLag returns the shift of got against ref, within ±maxLag samples,
// with the largest cross-correlation: got[i+lag] lines up with ref[i].
func bestLag(ref, got []float64, maxLag int) int {
	best, bl := math.Inf(-1), 0
	for lag := -maxLag; lag <= maxLag; lag++ {
		var s float64
		for i := max(0, -lag); i < len(ref) && i+lag < len(got); i++ {
			s += ref[i] * got[i+lag]
		}
		if s > best {
			best, bl = s, lag
		}
	}
	return bl
}

// fft is an in-place radix-2 transform; len(x) is a power of two.
func fft(x []complex128) {
	n := len(x)
	for i, j := 1, 0; i < n; i++ {
		bit := n >> 1
		for ; j&bit != 0; bit >>= 1 {
			j ^= bit
		}
		j |= bit
		if i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		w := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		for s := 0; s < n; s += size {
			wk := complex(1, 0)
			for k := 0; k < size/2; k++ {
				a, b := x[s+k], x[s+k+size/2]*wk
				x[s+k], x[s+k+size/2] = a+b, a-b
				wk *= w
			}
		}
	}
}

// lameVoice encodes the WAV clips behind v's recordings with LAME at the
// same setting into a recorded voice at dir (Import with AsIs keeps LAME's
// files as they are).
func lameVoice(ctx context.Context, v *narration.Voice, dir string, sr, kbps int, texts []string) (*narration.Voice, error) {
	if _, err := exec.LookPath("lame"); err != nil {
		return nil, errors.New("lame is missing: apt-get install lame")
	}
	lv, err := narration.Create(dir, narration.Manifest{Name: "lame", Language: "en",
		Engine: narration.EngineSpec{Name: narration.Recorded},
		Clips:  narration.ClipFormat{Format: "mp3", SampleRate: sr, Bitrate: kbps}})
	if err != nil {
		return nil, err
	}
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	// Decode our clip's source again: the recordings folder holds the
	// fresh WAVs under their recording names.
	rec := strings.Replace(filepath.Dir(v.Dir())+"/rec-"+strings.Split(filepath.Base(v.Dir()), "-")[1], "//", "/", 1)
	for _, t := range texts {
		in := filepath.Join(rec, narration.RecordingFile(t))
		out := filepath.Join(src, strings.TrimSuffix(narration.RecordingFile(t), ".wav")+".mp3")
		khz := strconv.FormatFloat(float64(sr)/1000, 'f', -1, 64)
		cmd := exec.CommandContext(ctx, "lame", "--quiet", "-m", "m", "-b", strconv.Itoa(kbps), "--cbr", "--resample", khz, in, out)
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("lame: %v: %s", err, b)
		}
	}
	if _, err := narration.Import(ctx, lv, src, narration.ImportOptions{Expected: texts, AsIs: true}); err != nil {
		return nil, err
	}
	return lv, nil
}

// Command mp3bench encodes WAV files with routinecast's MP3 encoder and
// measures it against LAME: bench/mp3/run.sh drives it.
//
//	mp3bench encode [-b kbps] [-mode mono|stereo|joint] in.wav out.mp3
//	mp3bench snr ref.wav decoded.wav      SNR after aligning the delay
//	mp3bench music out.wav seconds         synthesize a tonal+percussive piece
//	mp3bench beeps in.wav out.wav          add 1 kHz beeps to speech
//	mp3bench time runs cmd args... [:: cmd args...]  median wall and CPU seconds
package main

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"

	"github.com/gopxl/beep/v2/wav"

	"routinecast/audio/mp3"
	"routinecast/bench/internal/wavfile"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "encode":
		err = encode(os.Args[2:])
	case "snr":
		err = snrCmd(os.Args[2:])
	case "music":
		err = music(os.Args[2:])
	case "beeps":
		err = beeps(os.Args[2:])
	case "time":
		err = timeCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mp3bench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mp3bench encode|snr|music|beeps|time ...")
	os.Exit(2)
}

func encode(args []string) error {
	fs := flag.NewFlagSet("encode", flag.ExitOnError)
	kbps := fs.Int("b", 128, "bitrate in kbps")
	mode := fs.String("mode", "joint", "mono, stereo or joint")
	prof := fs.String("cpuprofile", "", "write a CPU profile to this file")
	fs.Parse(args)
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if fs.NArg() != 2 {
		return errors.New("encode: want in.wav out.mp3")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	s, format, err := wav.Decode(in)
	if err != nil {
		return err
	}
	out, err := os.Create(fs.Arg(1))
	if err != nil {
		return err
	}
	opt := mp3.Options{SampleRate: int(format.SampleRate), Bitrate: *kbps}
	switch *mode {
	case "mono":
		opt.Mode = mp3.Mono
	case "stereo":
		opt.Mode = mp3.Stereo
	case "joint":
		opt.Mode = mp3.JointStereo
	default:
		return fmt.Errorf("unknown mode %q", *mode)
	}
	if err := mp3.Encode(out, s, opt); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// readWAV reads 16-bit PCM WAV (the files sox and ffmpeg write here).
func readWAV(path string) (samples [][]float64, rate int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, fmt.Errorf("%s: not a WAV file", path)
	}
	var nch, bits int
	p := 12
	for p+8 <= len(b) {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8:]
		switch id {
		case "fmt ":
			nch = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits != 16 {
				return nil, 0, fmt.Errorf("%s: %d-bit samples, want 16", path, bits)
			}
			size = min(size, len(body))
			n := size / (2 * nch)
			samples = make([][]float64, nch)
			for c := range samples {
				samples[c] = make([]float64, n)
			}
			for i := 0; i < n; i++ {
				for c := 0; c < nch; c++ {
					samples[c][i] = float64(int16(binary.LittleEndian.Uint16(body[2*(i*nch+c):]))) / 32768
				}
			}
			return samples, rate, nil
		}
		p += 8 + size + size&1
	}
	return nil, 0, fmt.Errorf("%s: no data chunk", path)
}

// snrCmd prints the SNR of decoded against ref, in dB, at the lag (within
// ±3000 samples) that maximizes it, and the lag.
func snrCmd(args []string) error {
	if len(args) != 2 {
		return errors.New("snr: want ref.wav decoded.wav")
	}
	ref, _, err := readWAV(args[0])
	if err != nil {
		return err
	}
	dec, _, err := readWAV(args[1])
	if err != nil {
		return err
	}
	if len(ref) != len(dec) {
		return fmt.Errorf("snr: %d channels against %d", len(ref), len(dec))
	}
	// Find the lag on the loudest second of the reference (a search over
	// the whole file would take minutes), then measure the whole file at it.
	const win = 44100
	n := len(ref[0])
	start := 0
	if n > win {
		var e, beste float64
		for i := 0; i < n; i++ {
			for c := range ref {
				e += ref[c][i] * ref[c][i]
				if i >= win {
					e -= ref[c][i-win] * ref[c][i-win]
				}
			}
			if i >= win-1 && e > beste {
				beste, start = e, i-win+1
			}
		}
	}
	exRef := make([][]float64, len(ref))
	for c := range ref {
		exRef[c] = ref[c][start:min(start+win, n)]
	}
	bestLag, bestEx := 0, math.Inf(-1)
	for lag := -3000; lag <= 3000; lag++ {
		exDec := make([][]float64, len(dec))
		for c := range dec {
			lo := start + lag
			if lo < 0 || lo >= len(dec[c]) {
				exDec = nil
				break
			}
			exDec[c] = dec[c][lo:]
		}
		if exDec == nil {
			continue
		}
		if s := snr(exRef, exDec, 0); s > bestEx {
			bestEx, bestLag = s, lag
		}
	}
	best := snr(ref, dec, bestLag)
	fmt.Printf("%.2f %d\n", best, bestLag)
	return nil
}

// snr compares ref[i] with dec[i+lag] over the samples both have.
func snr(ref, dec [][]float64, lag int) float64 {
	var s, n float64
	for c := range ref {
		r, d := ref[c], dec[c]
		for i := max(0, -lag); i < len(r) && i+lag < len(d); i++ {
			e := r[i] - d[i+lag]
			s += r[i] * r[i]
			n += e * e
		}
	}
	return 10 * math.Log10(s/n)
}

// music writes a deterministic stereo piece at 44.1 kHz: a chord
// progression of harmonic tones with attack/decay, a bass line, hi-hat
// noise and kick drums.
func music(args []string) error {
	if len(args) != 2 {
		return errors.New("music: want out.wav seconds")
	}
	secs, err := strconv.ParseFloat(args[1], 64)
	if err != nil {
		return err
	}
	const rate = 44100
	n := int(secs * rate)
	l, r := make([]float64, n), make([]float64, n)
	rng := rand.New(rand.NewPCG(7, 7))
	chords := [][]float64{{261.63, 329.63, 392.00}, {220.00, 261.63, 329.63}, {174.61, 220.00, 261.63}, {196.00, 246.94, 293.66}}
	const beat = 0.5 // seconds
	for i := 0; i < n; i++ {
		t := float64(i) / rate
		bar := int(t / (4 * beat))
		ch := chords[bar%len(chords)]
		tb := math.Mod(t, beat)
		env := math.Exp(-tb * 3)
		var x, y float64
		for k, f := range ch {
			for h := 1; h <= 6; h++ {
				a := 0.08 / float64(h) * env
				x += a * math.Sin(2*math.Pi*f*float64(h)*t+float64(k))
				y += a * math.Sin(2*math.Pi*f*float64(h)*t*1.002+float64(k)*2)
			}
		}
		bass := 0.25 * math.Exp(-tb*2) * math.Sin(2*math.Pi*ch[0]/2*t)
		x += bass
		y += bass
		// Kick on each beat, hi-hat on the off-beat.
		kick := 0.5 * math.Exp(-tb*25) * math.Sin(2*math.Pi*(50+100*math.Exp(-tb*30))*tb)
		x += kick
		y += kick
		to := math.Mod(t+beat/2, beat)
		if to < 0.05 {
			h := 0.12 * math.Exp(-to*80) * (rng.Float64()*2 - 1)
			x += h
			y += 0.8 * h
		}
		l[i], r[i] = x*0.8, y*0.8
	}
	return wavfile.Write(args[0], rate, l, r)
}

// beeps adds a 150 ms 1 kHz beep every 2 s to a WAV file, the way a
// routine counts down over the narration.
func beeps(args []string) error {
	if len(args) != 2 {
		return errors.New("beeps: want in.wav out.wav")
	}
	ch, rate, err := readWAV(args[0])
	if err != nil {
		return err
	}
	for c := range ch {
		for i := range ch[c] {
			t := float64(i) / float64(rate)
			tm := math.Mod(t, 2)
			if tm < 0.15 {
				fade := math.Min(1, math.Min(tm, 0.15-tm)/0.005)
				ch[c][i] = 0.6*ch[c][i] + 0.35*fade*math.Sin(2*math.Pi*1000*t)
			}
		}
	}
	return wavfile.Write(args[1], rate, ch...)
}

// timeCmd runs one or more commands, separated by "::", runs times each,
// alternating between them so that changes in the machine's load affect
// all alike, after one untimed warm-up run of each. It prints the median
// wall-clock and CPU (user + system) seconds of each command on one line.
func timeCmd(args []string) error {
	if len(args) < 2 {
		return errors.New("time: want runs cmd [args] [:: cmd [args]]")
	}
	runs, err := strconv.Atoi(args[0])
	if err != nil || runs < 1 {
		return fmt.Errorf("time: bad run count %q", args[0])
	}
	var cmds [][]string
	cur := []string{}
	for _, a := range args[1:] {
		if a == "::" {
			cmds = append(cmds, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, a)
	}
	cmds = append(cmds, cur)
	for _, c := range cmds {
		if len(c) == 0 {
			return errors.New("time: empty command")
		}
	}
	wall := make([][]float64, len(cmds))
	cpu := make([][]float64, len(cmds))
	for i := -1; i < runs; i++ {
		for k, c := range cmds {
			w, u, err := runTimed(c)
			if err != nil {
				return err
			}
			if i >= 0 {
				wall[k] = append(wall[k], w)
				cpu[k] = append(cpu[k], u)
			}
		}
	}
	for k := range cmds {
		if k > 0 {
			fmt.Print(" ")
		}
		fmt.Printf("%.3f %.3f", median(wall[k]), median(cpu[k]))
	}
	fmt.Println()
	return nil
}

// runTimed runs a command and returns its wall-clock and CPU seconds.
func runTimed(c []string) (wall, cpu float64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c[0], c[1:]...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return 0, 0, fmt.Errorf("time: %s: %w", c[0], err)
	}
	w := time.Since(start)
	return w.Seconds(), (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(), nil
}

func median(v []float64) float64 {
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

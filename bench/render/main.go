// Command render is the mixer's benchmark program: it lays out a built-in
// routine with the stand-in voice of package mixertest (clip lengths from word
// counts, speech-like noise; a real voice decodes its clips instead), renders
// it and writes a 16-bit WAV, then prints how long
// that took and how many times faster than real time it was. run.sh runs it
// several times beside reference tools.
//
//	go run ./bench/render -o /tmp/lower-back.wav [-level standard] [-music bed.wav]
//
// Loudness is export's to reach (one pipeline, package export); run.sh times a
// whole export beside the mixer alone.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

func main() {
	routine := flag.String("routine", "lower-back", "built-in routine")
	level := flag.String("level", "standard", "level: gentle, standard or full")
	out := flag.String("o", "", "WAV file to write (required)")
	music := flag.String("music", "", "music bed file (WAV, MP3 or FLAC)")
	rate := flag.Int("rate", 44100, "sample rate")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "render: -o FILE is required")
		os.Exit(2)
	}
	if err := run(*routine, routines.Level(*level), *out, *music, beep.SampleRate(*rate)); err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
}

func run(name string, level routines.Level, out, music string, rate beep.SampleRate) error {
	start := time.Now()
	r, err := routines.Builtin(name)
	if err != nil {
		return err
	}
	s, err := routines.Expand(r, level)
	if err != nil {
		return err
	}
	clips := &mixertest.Clips{SampleRate: rate}
	o := mixer.Options{SampleRate: rate}
	if music != "" {
		o.Music.Source = mixer.MusicFunc(func() (beep.StreamSeekCloser, beep.Format, error) { return audio.Open(music) })
	}
	tl, err := mixer.Compile(s, clips, o)
	if err != nil {
		return err
	}
	compiled := time.Now()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	ren, err := mixer.Render(tl, clips, mixer.RenderOptions{})
	if err != nil {
		return err
	}
	defer ren.Close()
	enc, err := audio.NewWAVEncoder(w, audio.EncodeOptions{SampleRate: rate, Channels: tl.Channels, Length: tl.Length, Dither: true})
	if err != nil {
		return err
	}
	n, err := audio.Encode(enc, ren)
	if err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	done := time.Now()
	if n != tl.Length {
		return fmt.Errorf("wrote %d samples, the timeline has %d", n, tl.Length)
	}
	audioSec := tl.Duration().Seconds()
	total := done.Sub(start).Seconds()
	fmt.Printf("audio_s=%.3f total_s=%.3f compile_s=%.3f render_write_s=%.3f x_realtime=%.1f\n",
		audioSec, total, compiled.Sub(start).Seconds(), done.Sub(compiled).Seconds(), audioSec/total)
	return nil
}

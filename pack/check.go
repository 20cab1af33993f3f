package pack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"sort"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/internal/safefile"
	"routinecast/internal/yamlfile"
	"routinecast/job"
	"routinecast/narration"
	"routinecast/routines"
)

// maxMusicBytes bounds a music file: a bed is looped under the episode, so
// hours of it serve no purpose.
const maxMusicBytes = 1 << 30

// maxMissingShown is how many lines without a clip a message lists.
const maxMissingShown = 5

// Check verifies everything Build needs that Load does not read: each
// music file decodes from start to end, each voice folder is a voice with a
// clip, which decodes, for every line its episodes say (the built-in voice
// for episodes with none), and the cover decodes whole. Every problem is
// reported at once, as Errors at the field that names the file, so that a
// pack that validates does not fail once rendering has begun.
func Check(ctx context.Context, p *Pack) error {
	d := &yamlfile.Decoder{File: p.File, Kind: "pack"}
	if p.Cover.Path != "" {
		if err := decodeCover(p.Cover.Path); err != nil {
			d.Errorf(p.coverAt, "cover: %v", err)
		}
	}
	music := map[string]error{}
	voices := map[string]*narration.Voice{}
	voiceErrs := map[string]error{}
	badClips := map[string]error{} // by voice folder and line
	for _, e := range p.Episodes {
		if err := ctx.Err(); err != nil {
			return err
		}
		what := fmt.Sprintf("episode %d", e.Number)
		if e.Music != "" && !job.IsBed(e.Music) {
			err, seen := music[e.Music]
			if !seen {
				err = decodeMusic(ctx, e.Music)
				music[e.Music] = err
			}
			if errors.Is(err, context.Canceled) {
				return err
			}
			if err != nil {
				d.Errorf(e.musicAt, "%s: music: %v", what, err)
			}
		}
		if e.Routine == nil {
			continue
		}
		v, seen := voices[e.Voice]
		err := voiceErrs[e.Voice]
		if !seen && err == nil {
			if e.Voice == "" {
				v = narration.Default()
			} else {
				v, err = narration.Open(e.Voice)
			}
			voices[e.Voice], voiceErrs[e.Voice] = v, err
			if err != nil {
				d.Errorf(e.voiceAt, "%s: voice: %v", what, err)
			}
		}
		if v == nil {
			continue
		}
		script, err := routines.Expand(e.Routine, e.Level)
		if err != nil {
			d.Errorf(e.routineAt, "%s: %v", what, err)
			continue
		}
		lines := script.Lines()
		if e.Voice == "" {
			// The embedded voice speaks it, or the built-in engine renders
			// it at build time (see builder.speaker).
			continue
		}
		at, voiceName := e.voiceAt, e.Voice
		if missing := v.Missing(lines); len(missing) > 0 {
			d.Errorf(at, "%s: %s has no clip for %d of the %d lines of %s at level %s, e.g. %s; render them with 'routinecast voice render'",
				what, voiceName, len(missing), len(lines), e.RoutineRef, e.Level, quoteSome(missing))
			continue
		}
		clips := v.Clips(beep.SampleRate(44100))
		var broken []string
		for _, l := range lines {
			key := e.Voice + "\x00" + l
			err, seen := badClips[key]
			if !seen {
				var s beep.StreamSeekCloser
				if s, err = clips.Open(l); err == nil {
					s.Close()
				}
				badClips[key] = err
			}
			if err != nil {
				broken = append(broken, err.Error())
			}
		}
		if len(broken) > 0 {
			sort.Strings(broken)
			d.Errorf(at, "%s: %d of the clips of %s do not decode, the first: %s", what, len(broken), voiceName, broken[0])
		}
	}
	if len(d.Errs) == 0 {
		return nil
	}
	d.Sort()
	var all Errors
	for _, e := range d.Errs {
		all = append(all, e)
	}
	return all
}

func quoteSome(lines []string) string {
	var b bytes.Buffer
	for i, l := range lines {
		if i == maxMissingShown {
			fmt.Fprintf(&b, " and %d more", len(lines)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", l)
	}
	return b.String()
}

// decodeMusic decodes a music file to its end, as Build will, checking ctx
// between blocks. Its memory stays that of one block.
func decodeMusic(ctx context.Context, path string) error {
	f, err := safefile.Open(path, maxMusicBytes)
	if err != nil {
		return safefile.Short(err)
	}
	s, _, err := audio.Decode(f, path)
	if err != nil {
		f.Close()
		return fmt.Errorf("does not decode: %w", err)
	}
	defer s.Close()
	buf := make([][2]float64, 1<<14)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, ok := s.Stream(buf)
		total += n
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return fmt.Errorf("does not decode to its end: %w", err)
	}
	if total == 0 {
		return fmt.Errorf("%s holds no audio", path)
	}
	return nil
}

// decodeCover decodes the whole cover, which Load only read the header of:
// a cut-off image would otherwise reach every episode.
func decodeCover(path string) error {
	f, err := safefile.Open(path, maxCoverBytes)
	if err != nil {
		return safefile.Short(err)
	}
	defer f.Close()
	if _, _, err := image.Decode(f); err != nil {
		return fmt.Errorf("%s does not decode as an image: %w", path, err)
	}
	return nil
}

package studio

// Every call the studio makes to compile and render a routine (into job,
// export and mixer) is in this file, so a change to the render pipeline
// touches the studio in one place; timeline.go only lays out mixer's listing.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gopxl/beep/v2"

	"routinecast/export"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/routines"
)

// session is a routine compiled for listening at one level, with a voice
// folder that has a clip for each of its lines.
type session struct {
	job *job.Job
}

// errMissing is what a missingError is: the voice lacks clips for the
// routine.
var errMissing = errors.New("studio: lines have no clip")

// missingError is a session that cannot be compiled for lack of clips. Its
// count is of the lines said at the session's level, so a message built on
// it gives one count, the one that matters for what was asked.
type missingError struct {
	lines int
	level routines.Level
	msg   string // "" is the plain message
}

func (e *missingError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("studio: %d line(s) of the %s level have no clip", e.lines, e.level)
}

func (e *missingError) Is(target error) bool { return target == errMissing }

// sessionKey is what a compiled session is for: a level, the built-in bed
// under it ("" for none), and its sample rate and loudness target (0 for
// export's defaults).
type sessionKey struct {
	level      routines.Level
	music      string
	sampleRate int
	loudness   float64
}

// compileSession lays out the routine's timeline with the clips of voiceDir
// and the music of k, exactly as export does.
func compileSession(r *routines.Routine, k sessionKey, voiceDir string) (*session, error) {
	level := k.level
	o := job.Options{Routine: r, Level: level, Voice: voiceDir, Music: k.music}
	o.Mixer.SampleRate, o.Mixer.Loudness.Target = beep.SampleRate(k.sampleRate), k.loudness
	j, err := job.Compile(o)
	var missing *job.MissingClipsError
	if errors.As(err, &missing) {
		return nil, &missingError{lines: len(missing.Lines), level: level}
	}
	if err != nil {
		return nil, err
	}
	return &session{job: j}, nil
}

// view is what the timeline pane shows, as show prints it.
func (s *session) view() timelineView {
	return newTimelineView(mixer.NewListing(s.job.Script, s.job.Timeline), false)
}

// wav returns the session as a WAV file that is rendered as it is read, at
// the loudness live playback uses (estimated from the clips' loudness rather
// than measured, which would mean rendering it all first). Any byte range
// can be read: a read after a seek renders from that sample.
func (s *session) wav() (*wavReader, error) {
	tl := s.job.Timeline
	r, err := mixer.Render(tl, s.job.Clips, mixer.RenderOptions{Gain: s.job.EstimatedGain()})
	if err != nil {
		return nil, err
	}
	return newWAVReader(r, int(tl.SampleRate), tl.Channels, tl.Length), nil
}

// writeMP3 renders the session to w as export writes an MP3: loudness
// measured and normalised, ID3 tags and chapters.
func (s *session) writeMP3(ctx context.Context, w io.Writer) (int64, error) {
	res, err := export.Write(ctx, w, s.job, export.MP3, export.Options{})
	if err != nil {
		return 0, err
	}
	return res.Bytes, nil
}

// music reads the music a request asks for under the session: "" or "none"
// for none, or a built-in bed's name as export's --music takes it. A file
// is not offered: the page may not name files on the studio's machine.
func music(r *http.Request) (string, error) {
	q := r.URL.Query().Get("music")
	if q == "" || q == "none" {
		return "", nil
	}
	if !job.IsBed(q) {
		return "", fmt.Errorf("studio: music %q: use none or a built-in bed (%s)", q, strings.Join(mixer.BedNames(), ", "))
	}
	return q, nil
}

// audioSettings reads the sample rate and loudness target a request asks
// for (sample_rate, loudness; 0 when absent), checked as export checks
// --sample-rate and --loudness, in the same words.
func audioSettings(r *http.Request) (rate int, lufs float64, err error) {
	q := r.URL.Query()
	if v := q.Get("sample_rate"); v != "" {
		if rate, err = strconv.Atoi(v); err != nil {
			return 0, 0, fmt.Errorf("studio: sample_rate %q is not a whole number of hertz", v)
		}
		if err := export.CheckMP3SampleRate(rate); err != nil {
			return 0, 0, fmt.Errorf("studio: sample_rate: %w", err)
		}
	}
	if v := q.Get("loudness"); v != "" {
		if lufs, err = strconv.ParseFloat(v, 64); err != nil || math.IsNaN(lufs) || math.IsInf(lufs, 0) {
			return 0, 0, fmt.Errorf("studio: loudness %q is not a number of LUFS", v)
		}
		if err := mixer.CheckLoudness(lufs); err != nil {
			return 0, 0, fmt.Errorf("studio: loudness: %w", err)
		}
	}
	return rate, lufs, nil
}

// beds are the built-in music beds' names, export's own list.
func beds() []string { return mixer.BedNames() }

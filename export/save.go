package export

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"routinecast/internal/atomicfile"
	"routinecast/job"
	"routinecast/mixer"
)

// Sidecars are the files an export writes beside its audio; an empty path
// is not written.
type Sidecars struct {
	Transcript string // WebVTT
	Chapters   string // Podcasting 2.0 JSON chapters
}

// ErrSuperseded reports an export whose file another writer replaced while
// it rendered: that writer's files are kept, and this export's dropped.
var ErrSuperseded = atomicfile.ErrSuperseded

// paths lists the sidecars to write.
func (s Sidecars) paths() []string {
	var out []string
	for _, p := range []string{s.Transcript, s.Chapters} {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// CheckOutputs tells whether Save could write the audio at path (unless
// "-") and the sidecars: each a regular file or none, in a folder where a
// file can be made. It leaves nothing behind.
func CheckOutputs(path string, s Sidecars) error {
	paths := s.paths()
	if path != "-" && path != "" {
		paths = append(paths, path)
	}
	if err := atomicfile.CheckTargets(paths...); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// WriteSidecars writes the timeline's transcript and chapters files,
// together or not at all.
func WriteSidecars(tl *mixer.Timeline, s Sidecars) error {
	set, err := atomicfile.CreateSet(s.paths()...)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer set.Close()
	if err := writeSidecars(set, 0, tl, s); err != nil {
		return err
	}
	if err := set.Commit(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// writeSidecars writes the sidecars into the files of set from the i-th.
func writeSidecars(set *atomicfile.Set, i int, tl *mixer.Timeline, s Sidecars) error {
	for _, f := range []struct {
		path  string
		write func(io.Writer, *mixer.Timeline) error
	}{{s.Transcript, mixer.WriteVTT}, {s.Chapters, mixer.WriteChaptersJSON}} {
		if f.path == "" {
			continue
		}
		var b bytes.Buffer
		if err := f.write(&b, tl); err != nil {
			return err
		}
		if _, err := set.File(i).Write(b.Bytes()); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		i++
	}
	return nil
}

// Save writes j's audio to path in format, and its sidecar files: all of
// them are made beside their targets first, so that one that cannot be
// written stops the export before it renders, and they replace their
// targets together at the end, or none does. A path of "-" writes the audio
// to w instead, as it renders. When another writer replaced one of the
// targets meanwhile (two exports to one file at once), nothing is replaced
// and the error wraps ErrSuperseded.
func Save(ctx context.Context, j *job.Job, path string, w io.Writer, format Format, o Options, s Sidecars) (*Result, error) {
	paths := s.paths()
	if path != "-" {
		paths = append([]string{path}, paths...)
	}
	set, err := atomicfile.CreateSet(paths...)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer set.Close()
	next := 0
	if path != "-" {
		w, next = set.File(0), 1
	}
	res, err := Write(ctx, w, j, format, o)
	if err != nil {
		return nil, err
	}
	if err := writeSidecars(set, next, j.Timeline, s); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := set.Commit(); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return res, nil
}

package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"routinecast/audio"
	"routinecast/internal/atomicfile"
	"routinecast/internal/safefile"
	"routinecast/job"
	"routinecast/mixer"
)

// Sidecars are the files an export writes beside its audio; an empty path
// is not written.
type Sidecars struct {
	Transcript string // WebVTT
	Chapters   string // Podcasting 2.0 JSON chapters
}

// WriteSidecars writes the timeline's transcript and chapters files, each
// whole or not at all.
func WriteSidecars(tl *mixer.Timeline, s Sidecars) error {
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
		if err := atomicfile.Write(f.path, func(w *atomicfile.File) error { _, err := w.Write(b.Bytes()); return err }); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	return nil
}

// Save writes j's audio to path in format, then its sidecar files.
// The audio file appears whole or not at all, and only once the sidecars
// are written. A path of "-" writes the audio to w instead, as it renders.
func Save(ctx context.Context, j *job.Job, path string, w io.Writer, format Format, o Options, s Sidecars) (*Result, error) {
	var f *atomicfile.File
	if path != "-" {
		var err error
		if f, err = atomicfile.Create(path); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		w = f
	}
	res, err := Write(ctx, w, j, format, o)
	if err != nil {
		return nil, err
	}
	if err := WriteSidecars(j.Timeline, s); err != nil {
		return nil, err
	}
	if f != nil {
		if err := f.Commit(); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	return res, nil
}

// BadInput tells whether err comes from what the user chose rather than
// from a failure: a format or settings the encoder refuses, a voice lacking
// clips, a length out of the routine's reach, or a music file or clip that
// is missing, not a regular file, or not audio.
func BadInput(err error) bool {
	var missing *job.MissingClipsError
	return errors.Is(err, ErrFormat) || errors.As(err, &missing) || errors.Is(err, mixer.ErrOptions) || errors.Is(err, job.ErrLength) ||
		errors.Is(err, safefile.ErrNotRegular) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, audio.ErrUnsupported) || errors.Is(err, audio.ErrTruncated)
}

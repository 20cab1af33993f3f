package narration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"routinecast/internal/textcheck"
)

// ImportOptions tunes Import.
type ImportOptions struct {
	// Expected are the lines the recordings are for. A recording whose name
	// is not the name of one of them is unexpected, and is not imported.
	// With no expected lines, every recording named like a clip is taken.
	Expected []string
	// AsIs copies the recordings unchanged instead of trimming their
	// silence and bringing them to the voice's loudness and format.
	AsIs bool
}

// ImportResult says what Import did.
type ImportResult struct {
	Imported   []string // files taken, sorted
	Unexpected []string // files in the folder that were not taken, sorted
	Missing    []string // expected lines that still have no clip
}

// Import takes the recordings in dir into the recorded voice v. Each
// recording is found by its name (see [RecordingFile]) and may be WAV, FLAC
// or MP3 at any sample rate. A recording of a line that already has a clip
// replaces it. A recording that does not decode, or holds only silence, is
// an error naming the file; the others are still imported.
func Import(ctx context.Context, v *Voice, dir string, opt ImportOptions) (ImportResult, error) {
	var res ImportResult
	if v.dir == "" {
		return res, fmt.Errorf("narration: the embedded voice cannot take new clips: import into a folder (--voice DIR)")
	}
	if v.Manifest.Engine.Name != Recorded {
		return res, fmt.Errorf("narration: %s is a voice made with %s: import recordings into a recorded voice", v.dir, v.Manifest.Engine.describe())
	}
	expected := map[string]bool{}
	for _, l := range opt.Expected {
		expected[v.Key(l)] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return res, fmt.Errorf("narration: %w", err)
	}
	var errs []error
	seen := map[string]string{}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("narration: %w", err)
		}
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		if textcheck.Check(name) != nil { // quoted, so that it reaches no terminal as is
			res.Unexpected = append(res.Unexpected, strconv.Quote(name))
			continue
		}
		key, ok := keyOf(name)
		if !ok || (len(expected) > 0 && !expected[key]) {
			res.Unexpected = append(res.Unexpected, name)
			continue
		}
		if prev, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("narration: %s and %s are recordings of the same line: keep one", prev, name))
			continue
		}
		seen[key] = name
		dst := strings.TrimSuffix(name, filepath.Ext(name))
		src := filepath.Join(dir, name)
		if opt.AsIs {
			dst += strings.ToLower(filepath.Ext(name))
			err = v.store(dst, "", func(tmp string) error { return copyClip(src, tmp) })
		} else {
			dst += v.Manifest.Clips.ext()
			err = v.store(dst, "", func(tmp string) error { return finishClip(src, tmp, v.Manifest.Clips) })
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("narration: %s: %w", src, err))
			continue
		}
		if old, ok := v.clips[key]; ok && old != dst {
			os.Remove(filepath.Join(v.dir, old))
		}
		v.clips[key] = dst
		res.Imported = append(res.Imported, name)
	}
	res.Missing = v.Missing(opt.Expected)
	sort.Strings(res.Imported)
	sort.Strings(res.Unexpected)
	return res, errors.Join(errs...)
}

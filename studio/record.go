package studio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/narration"
)

// Bounds of an upload: a take is one line of narration.
const (
	maxUpload = 32 << 20 // bytes: two minutes of 48 kHz stereo 16-bit WAV and more
	maxTake   = 2 * time.Minute
	minTake   = 200 * time.Millisecond
)

// undoFolder is where the take a new one replaced waits for an undo. Its
// name starts with a dot, so voices never read it as clips.
const undoFolder = ".studio-undo"

// takeResult answers an upload or an undo.
type takeResult struct {
	Line    lineState `json:"line"`
	Seconds float64   `json:"seconds"` // of the stored clip
	Left    int       `json:"left"`    // lines still without a recording
}

func (s *Studio) handlePostTake(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	line, ok := s.lineLocked(r.PathValue("key"))
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusNotFound, errors.New("studio: no such line in the routine"))
		return
	}
	dir, err := os.MkdirTemp(s.scratch, "take-")
	if err != nil {
		fail(w, http.StatusInternalServerError, fmt.Errorf("studio: %w", err))
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, narration.RecordingFile(line.Text))
	if code, err := receive(w, r, path); err != nil {
		fail(w, code, err)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.storeLocked(r.Context(), line, path); err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	writeJSON(w, http.StatusOK, s.takeResultLocked(line))
}

// receive writes a request's body to path, bounded, and checks that it is
// audio of a sensible length. It returns the status to answer with on error.
func receive(w http.ResponseWriter, r *http.Request, path string) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return http.StatusInternalServerError, fmt.Errorf("studio: %w", err)
	}
	_, err = io.Copy(f, http.MaxBytesReader(w, r.Body, maxUpload))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge, fmt.Errorf("studio: the take is over %d MiB: record one line at a time", maxUpload>>20)
	}
	if err != nil {
		return http.StatusBadRequest, fmt.Errorf("studio: receiving the take: %w", err)
	}
	st, format, err := openTake(path)
	if err != nil {
		return http.StatusUnsupportedMediaType, fmt.Errorf("studio: the take is not audio the studio can read (WAV, FLAC or MP3): %w", err)
	}
	n := st.Len()
	st.Close()
	d := format.SampleRate.D(n)
	switch {
	case d > maxTake:
		return http.StatusRequestEntityTooLarge, fmt.Errorf("studio: the take is %v long; a line may be at most %v", d.Round(time.Second), maxTake)
	case d < minTake:
		return http.StatusUnprocessableEntity, fmt.Errorf("studio: the take is only %v long: hold the recording until the line is said", d.Round(time.Millisecond))
	}
	return 0, nil
}

// openTake decodes a take, naming it "the take" in errors rather than by
// its scratch path.
func openTake(path string) (beep.StreamSeekCloser, beep.Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, beep.Format{}, err
	}
	st, format, err := audio.Decode(f, "the take")
	if err != nil {
		f.Close()
	}
	return st, format, err
}

// maxClip bounds a clip read whole to be kept for undo or swapped back: a
// take is at most maxTake long, which is well under this in any format.
const maxClip = 64 << 20

// storeLocked imports the recording at path as the line's clip, as 'voice
// import' does, keeping the clip it replaces for one undo. The import goes
// to a voice of its own in the scratch folder first: the voice folder
// changes only once the take is stored whole, the clip it replaces keeps
// its mode, and errors name the take rather than its scratch file.
func (s *Studio) storeLocked(ctx context.Context, line lineInfo, path string) error {
	staged, err := os.MkdirTemp(s.scratch, "import-")
	if err != nil {
		return fmt.Errorf("studio: %w", err)
	}
	defer os.RemoveAll(staged)
	sv, err := narration.Create(staged, s.voice.Manifest)
	if err != nil {
		return err
	}
	res, err := narration.Import(ctx, sv, filepath.Dir(path), narration.ImportOptions{Expected: []string{line.Text}})
	if err != nil {
		return nameTheTake(err, path)
	}
	name, ok := sv.ClipFile(line.Text)
	if len(res.Imported) != 1 || !ok || !inside(name) {
		return fmt.Errorf("studio: the take was not imported (unexpected: %v)", res.Unexpected)
	}
	clip, _, err := readRegular(filepath.Join(staged, name), maxClip)
	if err != nil {
		return nameTheTake(err, filepath.Join(staged, name))
	}
	err = s.installLocked(line, name, clip)
	if rerr := s.reopenLocked(); err == nil {
		err = rerr
	}
	return err
}

// installLocked makes clip the line's clip, named name in the voice folder,
// after keeping a copy of the clip it replaces in the undo folder. A clip
// replaced keeps its mode.
func (s *Studio) installLocked(line lineInfo, name string, clip []byte) error {
	vdir := s.voice.Dir()
	undo := filepath.Join(vdir, undoFolder)
	old, had := s.voice.ClipFile(line.Text)
	if had && inside(old) {
		kept, _, err := readRegular(filepath.Join(vdir, old), maxClip)
		if err != nil {
			return fmt.Errorf("studio: keeping the earlier take: %w", err)
		}
		if err := os.MkdirAll(undo, 0o755); err != nil {
			return fmt.Errorf("studio: %w", err)
		}
		for _, f := range undoFiles(undo, line.Key) {
			if f != old {
				os.Remove(filepath.Join(undo, f))
			}
		}
		if err := replaceFile(filepath.Join(undo, old), kept, nil); err != nil {
			return fmt.Errorf("studio: keeping the earlier take: %w", err)
		}
	}
	dst := filepath.Join(vdir, name)
	if info, err := os.Lstat(dst); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		// A voice's clips are regular files (a link is no clip to it):
		// the take replaces the link, and the file it names is left alone.
		if err := os.Remove(dst); err != nil {
			return fmt.Errorf("studio: storing the take: %w", err)
		}
	}
	if err := replaceFile(dst, clip, nil); err != nil {
		return fmt.Errorf("studio: storing the take: %w", err)
	}
	if had && inside(old) && old != name {
		// The earlier take was in another format: it is in the undo folder.
		os.Remove(filepath.Join(vdir, old))
	}
	return nil
}

// takeError is an error of the import that names the take rather than the
// scratch file it was received into.
type takeError struct {
	msg string
	err error
}

func (e *takeError) Error() string { return e.msg }
func (e *takeError) Unwrap() error { return e.err }

// nameTheTake rewrites err, an error about the scratch file path, so that
// it names "the take" instead: the scratch folder means nothing to the
// person recording.
func nameTheTake(err error, path string) error {
	msg := strings.ReplaceAll(err.Error(), path, "the take")
	msg = strings.ReplaceAll(msg, filepath.Dir(path), "the take's folder")
	msg = strings.TrimPrefix(msg, "narration: ")
	return &takeError{msg: "studio: " + msg, err: err}
}

// reopenLocked reads the voice folder again after its files changed.
func (s *Studio) reopenLocked() error {
	v, err := narration.Open(s.voice.Dir())
	if err != nil {
		return err
	}
	s.voice = v
	s.changedLocked()
	return nil
}

// undoFiles lists the kept takes of a key in the undo folder.
func undoFiles(undo, key string) []string {
	entries, _ := os.ReadDir(undo)
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, ".") {
			continue
		}
		if strings.HasSuffix(strings.TrimSuffix(name, filepath.Ext(name)), key) {
			out = append(out, name)
		}
	}
	return out
}

// undoKeys returns the keys of the lines that have a kept take.
func (s *Studio) undoKeys() map[string]bool {
	out := map[string]bool{}
	entries, _ := os.ReadDir(filepath.Join(s.voice.Dir(), undoFolder))
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, filepath.Ext(name))
		if e.Type().IsRegular() && !strings.HasPrefix(name, ".") && len(base) >= 16 {
			out[base[len(base)-16:]] = true
		}
	}
	return out
}

// handleUndo swaps the line's clip and its kept take: an undo, and undoing
// it again brings the newer take back. Both are written as replaceFile
// writes, so a clip that is a symlink stays one and keeps its mode.
func (s *Studio) handleUndo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	line, ok := s.lineLocked(r.PathValue("key"))
	if !ok {
		fail(w, http.StatusNotFound, errors.New("studio: no such line in the routine"))
		return
	}
	undo := filepath.Join(s.voice.Dir(), undoFolder)
	kept := undoFiles(undo, line.Key)
	if len(kept) != 1 {
		fail(w, http.StatusConflict, errors.New("studio: this line has no earlier take to go back to"))
		return
	}
	err := s.swapLocked(line, kept[0])
	if rerr := s.reopenLocked(); err == nil {
		err = rerr
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, fmt.Errorf("studio: undo: %w", err))
		return
	}
	writeJSON(w, http.StatusOK, s.takeResultLocked(line))
}

// swapLocked puts the kept take named kept back as the line's clip, and
// keeps the clip it replaces in its place in the undo folder. The clip
// being replaced is copied aside first (a dot file, which no voice reads),
// so that a failure midway loses neither take.
func (s *Studio) swapLocked(line lineInfo, kept string) error {
	vdir := s.voice.Dir()
	undo := filepath.Join(vdir, undoFolder)
	back, _, err := readRegular(filepath.Join(undo, kept), maxClip)
	if err != nil {
		return err
	}
	cur, had := s.voice.ClipFile(line.Text)
	had = had && inside(cur)
	swap := filepath.Join(undo, ".swap")
	if had {
		data, _, err := readRegular(filepath.Join(vdir, cur), maxClip)
		if err != nil {
			return err
		}
		if err := replaceFile(swap, data, nil); err != nil {
			return err
		}
	}
	if err := replaceFile(filepath.Join(vdir, kept), back, nil); err != nil {
		os.Remove(swap)
		return err
	}
	if !had {
		return os.Remove(filepath.Join(undo, kept))
	}
	if cur != kept {
		os.Remove(filepath.Join(vdir, cur))
		os.Remove(filepath.Join(undo, kept))
	}
	return os.Rename(swap, filepath.Join(undo, cur))
}

func (s *Studio) takeResultLocked(line lineInfo) takeResult {
	res := takeResult{Line: lineState{Key: line.Key, Text: line.Text, Levels: line.Levels, State: s.lineStateLocked(line.Text), Undo: s.undoKeys()[line.Key]}}
	for i, l := range s.lines {
		if l.Key == line.Key {
			res.Line.N = i + 1
		}
	}
	if name, ok := s.voice.ClipFile(line.Text); ok {
		if st, format, err := audio.Open(filepath.Join(s.voice.Dir(), name)); err == nil {
			res.Seconds = round3(format.SampleRate.D(st.Len()).Seconds())
			st.Close()
		}
	}
	res.Left = len(s.voice.Missing(texts(s.lines)))
	return res
}

// handleGetTake plays a line's clip: the recording, or with ?synth=1 the
// engine's.
func (s *Studio) handleGetTake(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	line, ok := s.lineLocked(r.PathValue("key"))
	v := s.voice
	if r.URL.Query().Get("synth") == "1" {
		v = s.engine
	}
	var name string
	if ok && v != nil {
		name, ok = v.ClipFile(line.Text)
	}
	s.mu.Unlock()
	if !ok || v == nil || !inside(name) {
		fail(w, http.StatusNotFound, errors.New("studio: this line has no take yet"))
		return
	}
	f, err := os.Open(filepath.Join(v.Dir(), name))
	if err != nil {
		fail(w, http.StatusNotFound, fmt.Errorf("studio: %w", err))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", audioType(name))
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, name, time.Time{}, f)
}

func audioType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".flac":
		return "audio/flac"
	case ".mp3":
		return "audio/mpeg"
	}
	return "audio/wav"
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

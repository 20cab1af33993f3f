package studio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"routinecast/routines"
)

// maxRoutine bounds a routine sent by the editor, as routines.Load bounds a
// file.
const maxRoutine = 1 << 20

// problem is one validation error, at its line and column (0 for the whole
// file).
type problem struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Text    string `json:"text"` // as the command line prints it: file:line:col: message
}

// checkResult answers a check or a save.
type checkResult struct {
	OK       bool          `json:"ok"`
	Problems []problem     `json:"problems"`
	Timeline *timelineView `json:"timeline,omitempty"`
	Saved    bool          `json:"saved,omitempty"`
	Version  string        `json:"version,omitempty"` // of the file saved
}

// routineText is the editor's text: the routine file as it is on disk now,
// and its version, which a save names as the text it was based on.
type routineText struct {
	Text     string `json:"text"`
	Path     string `json:"path"`
	ReadOnly bool   `json:"read_only"`
	Version  string `json:"version"`
}

// handleGetRoutine reads the routine file again, as an editor opening it
// does: the page shows what is on disk now. When the file parses, the lines
// follow it; when it does not, the editor shows its problems and the lines
// stay those of the last routine that parsed.
func (s *Studio) handleGetRoutine(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.readOnly {
		src, disk, err := readRegular(s.opt.Routine, maxRoutine)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Gone: the editor keeps the last text, which a save writes anew.
			src, disk = s.src, stamp{gone: true}
		case err != nil:
			fail(w, http.StatusInternalServerError, fmt.Errorf("studio: reading the routine: %w", err))
			return
		}
		if !disk.gone && disk.sum != s.disk.sum {
			if rt, lines, probs := s.parseDraft(src); len(probs) == 0 {
				s.routine, s.lines = rt, lines
				s.changedLocked()
				defer s.kick()
			}
		}
		s.src, s.disk = src, disk
	}
	writeJSON(w, http.StatusOK, routineText{Text: string(s.src), Path: s.opt.Routine, ReadOnly: s.readOnly, Version: s.disk.version()})
}

// parseDraft validates routine source as the command line does, and
// expands it at every level.
func (s *Studio) parseDraft(src []byte) (*routines.Routine, []lineInfo, []problem) {
	r, err := routines.Parse(s.opt.Routine, src)
	if err != nil {
		return nil, nil, problems(err)
	}
	lines, err := sheetLines(r)
	if err != nil {
		return nil, nil, problems(err)
	}
	return r, lines, nil
}

func problems(err error) []problem {
	var es routines.Errors
	if errors.As(err, &es) {
		out := make([]problem, len(es))
		for i, e := range es {
			out[i] = problem{Line: e.Line, Col: e.Column, Message: e.Msg, Text: e.Error()}
		}
		return out
	}
	return []problem{{Message: err.Error(), Text: err.Error()}}
}

func readDraft(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	src, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRoutine))
	if err != nil {
		return nil, fmt.Errorf("studio: the routine is over %d KiB or did not arrive: %w", maxRoutine>>10, err)
	}
	return src, nil
}

// handleCheck validates the editor's text and lays out its timeline,
// without saving.
func (s *Studio) handleCheck(w http.ResponseWriter, r *http.Request) {
	src, err := readDraft(w, r)
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, err)
		return
	}
	level, err := s.level(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	rt, _, probs := s.parseDraft(src)
	res := checkResult{OK: len(probs) == 0, Problems: probs}
	if res.OK {
		tv, err := s.timelineOf(rt, level)
		if err != nil {
			res.OK, res.Problems = false, problems(err)
		} else {
			res.Timeline = &tv
		}
	}
	if res.Problems == nil {
		res.Problems = []problem{}
	}
	writeJSON(w, http.StatusOK, res)
}

// absent is the version of a routine file that is not there: a save that
// names it may write the file again.
const absent = "absent"

// conflictError is a save refused because the routine file changed on disk
// (or went) since the text the save was based on was read.
type conflictError struct {
	Path    string
	Removed bool
	ModTime time.Time // of the file now on disk
	Version string    // of the file now on disk: a save naming it overwrites it
}

func (e *conflictError) Error() string {
	if e.Removed {
		return fmt.Sprintf("studio: %s was removed since the studio read it: save again to write it anew, or reload", e.Path)
	}
	return fmt.Sprintf("studio: %s changed on disk (at %s) since the studio read it: reload it to see the change, or overwrite it with the editor's text", e.Path, e.ModTime.Format("15:04:05"))
}

// conflictResult answers a save refused by a change on disk.
type conflictResult struct {
	Error    string `json:"error"`
	Conflict bool   `json:"conflict"`
	Removed  bool   `json:"removed,omitempty"`
	Version  string `json:"disk_version"` // to overwrite deliberately, save naming it
}

// unchangedSince checks that the routine file on disk is still the version
// base: the one the editor's text was based on.
func (s *Studio) unchangedSince(base string) error {
	_, now, err := readRegular(s.opt.Routine, maxRoutine)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if base == absent {
			return nil
		}
		return &conflictError{Path: s.opt.Routine, Removed: true, Version: absent}
	case err != nil:
		return err
	case now.version() != base:
		return &conflictError{Path: s.opt.Routine, ModTime: now.modTime, Version: now.version()}
	}
	return nil
}

// handlePutRoutine saves the editor's text to the routine file if it
// validates and the file on disk is still the version the text was based
// on: the request's If-Match, or else the version the studio last read or
// wrote. The file is written as replaceFile writes: through a symlink,
// keeping its mode, atomically.
func (s *Studio) handlePutRoutine(w http.ResponseWriter, r *http.Request) {
	src, err := readDraft(w, r)
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, err)
		return
	}
	if s.readOnly {
		fail(w, http.StatusConflict, fmt.Errorf("studio: %s is a built-in routine and cannot be changed: save a copy with 'routinecast new > my.yaml' and open that", s.opt.Routine))
		return
	}
	rt, lines, probs := s.parseDraft(src)
	if len(probs) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, checkResult{Problems: probs})
		return
	}
	s.mu.Lock()
	base := strings.Trim(r.Header.Get("If-Match"), `"`)
	if base == "" {
		base = s.disk.version()
	}
	err = s.unchangedSince(base)
	if err == nil {
		err = replaceFile(s.opt.Routine, src, func() error { return s.unchangedSince(base) })
	}
	var version string
	if err == nil {
		modTime := time.Now()
		if info, serr := os.Stat(s.opt.Routine); serr == nil {
			modTime = info.ModTime()
		}
		s.src, s.disk, s.routine, s.lines = src, stampOf(src, modTime), rt, lines
		version = s.disk.version()
		s.changedLocked()
	}
	s.mu.Unlock()
	var conflict *conflictError
	if errors.As(err, &conflict) {
		writeJSON(w, http.StatusConflict, conflictResult{Error: conflict.Error(), Conflict: true, Removed: conflict.Removed, Version: conflict.Version})
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, fmt.Errorf("studio: saving %s: %w", s.opt.Routine, err))
		return
	}
	s.kick()
	writeJSON(w, http.StatusOK, checkResult{OK: true, Saved: true, Problems: []problem{}, Version: version})
}

func (s *Studio) handleTimeline(w http.ResponseWriter, r *http.Request) {
	level, err := s.level(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	s.mu.Lock()
	rt := s.routine
	s.mu.Unlock()
	tv, err := s.timelineOf(rt, level)
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	writeJSON(w, http.StatusOK, tv)
}

// timelineOf lays out a routine with the clips there are, or estimates its
// times from the words while lines are missing.
func (s *Studio) timelineOf(rt *routines.Routine, level routines.Level) (timelineView, error) {
	s.mu.Lock()
	dir, err := s.previewDirLocked()
	s.mu.Unlock()
	if err != nil {
		return timelineView{}, err
	}
	sess, err := compileSession(rt, sessionKey{level: level}, dir)
	if errors.Is(err, errMissing) {
		return estimatedView(rt, level)
	}
	if err != nil {
		return timelineView{}, err
	}
	return sess.view(), nil
}

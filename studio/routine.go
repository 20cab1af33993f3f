package studio

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"routinecast/internal/atomicfile"
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
}

func (s *Studio) handleGetRoutine(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"text": string(s.src), "path": s.opt.Routine, "read_only": s.readOnly})
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

// handlePutRoutine saves the editor's text to the routine file, atomically,
// if it validates.
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
	err = atomicfile.Write(s.opt.Routine, func(f *atomicfile.File) error { _, err := f.Write(src); return err })
	if err == nil {
		s.src, s.routine, s.lines = src, rt, lines
		s.changedLocked()
	}
	s.mu.Unlock()
	if err != nil {
		fail(w, http.StatusInternalServerError, fmt.Errorf("studio: saving %s: %w", s.opt.Routine, err))
		return
	}
	s.kick()
	writeJSON(w, http.StatusOK, checkResult{OK: true, Saved: true, Problems: []problem{}})
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
	sess, err := compileSession(rt, level, dir)
	if errors.Is(err, errMissing) {
		return estimatedView(rt, level)
	}
	if err != nil {
		return timelineView{}, err
	}
	return sess.view(), nil
}

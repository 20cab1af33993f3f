package studio

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"

	"routinecast/routines"
)

// pictureOf is the picture shown beside an exercise: its own, or else its
// variant's; nil when it has neither.
func pictureOf(ex *routines.Exercise) *routines.Image {
	if ex.Image == nil && ex.Variant != nil {
		return ex.Variant.Image
	}
	return ex.Image
}

// pictureURL is where the page loads the picture of exercise i (from 0) of
// the routine at version v, or "" when it has none. The version changes the
// address when the routine does, so the browser fetches the new picture.
func pictureURL(r *routines.Routine, i, v int) string {
	if pictureOf(&r.Exercises[i]) == nil {
		return ""
	}
	return fmt.Sprintf("/api/picture/%d?v=%d", i+1, v)
}

// handlePicture answers with the picture of an exercise, named by its number
// in the routine: a request names no path, so it can reach no file but the
// pictures the routine names, which routines.Image reads from inside the
// routine's folder (or the built-in routines' own files), under the bounds
// that validated them.
func (s *Studio) handlePicture(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rt := s.routine
	s.mu.Unlock()
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(rt.Exercises) || pictureOf(&rt.Exercises[n-1]) == nil {
		http.NotFound(w, r)
		return
	}
	im := pictureOf(&rt.Exercises[n-1])
	b, err := im.Read()
	if err != nil {
		code := http.StatusInternalServerError
		if errors.Is(err, fs.ErrNotExist) {
			code = http.StatusNotFound
		}
		fail(w, code, fmt.Errorf("studio: %w", err))
		return
	}
	w.Header().Set("Content-Type", im.Type)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

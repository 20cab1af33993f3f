package studio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"routinecast/internal/filecopy"
	"routinecast/narration"
	"routinecast/routines"
)

// previewVoice is a recorded voice made for listening: the person's clips,
// and the engine's where a line has no recording, each under the name a
// recording of its line has. Its files are hard links (copies across file
// systems), made afresh whenever a clip changes, so a stream playing an
// older one is not disturbed.
type previewVoice struct {
	version int
	dir     string
}

// previewDirLocked returns the folder of the preview voice for the current
// clips.
func (s *Studio) previewDirLocked() (string, error) {
	if s.preview.dir != "" && s.preview.version == s.version {
		return s.preview.dir, nil
	}
	dir, err := os.MkdirTemp(s.scratch, "preview-")
	if err != nil {
		return "", fmt.Errorf("studio: %w", err)
	}
	m := s.voice.Manifest
	if _, err := narration.Create(dir, narration.Manifest{Name: "studio preview", Language: m.Language,
		Engine: narration.EngineSpec{Name: narration.Recorded}, Clips: m.Clips}); err != nil {
		return "", err
	}
	for _, l := range s.lines {
		src, name := s.voice.Dir(), ""
		if f, ok := s.voice.ClipFile(l.Text); ok {
			name = f
		} else if s.engine != nil {
			if f, ok := s.engine.ClipFile(l.Text); ok {
				src, name = s.engine.Dir(), f
			}
		}
		if !inside(name) {
			continue
		}
		dst := strings.TrimSuffix(narration.RecordingFile(l.Text), ".wav") + strings.ToLower(filepath.Ext(name))
		if err := filecopy.LinkOrCopy(filepath.Join(src, name), filepath.Join(dir, dst)); err != nil {
			return "", fmt.Errorf("studio: preview voice: %w", err)
		}
	}
	// Streams still playing the last voice keep it; older ones go, so a
	// long sitting does not fill the scratch folder.
	if s.preview.dir != "" {
		s.oldPreviews = append(s.oldPreviews, s.preview.dir)
	}
	for len(s.oldPreviews) > 1 {
		os.RemoveAll(s.oldPreviews[0])
		s.oldPreviews = s.oldPreviews[1:]
	}
	s.preview = previewVoice{version: s.version, dir: dir}
	return dir, nil
}

// sessionFor compiles the routine at a level, with the preview voice and
// the music k names, after synthesising the lines that need it.
func (s *Studio) sessionFor(ctx context.Context, k sessionKey) (*session, error) {
	if s.engine != nil {
		if err := s.synthesise(ctx); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[k]; ok {
		return sess, nil
	}
	dir, err := s.previewDirLocked()
	if err != nil {
		return nil, err
	}
	sess, err := compileSession(s.routine, k, dir)
	var missing *missingError
	if errors.As(err, &missing) {
		// One count: the lines of this level without a clip.
		m := *missing
		if s.engine != nil {
			m.msg = fmt.Sprintf("studio: %d line(s) of the %s level have neither a recording nor a synthesised clip", m.lines, m.level)
			if s.synthErr != "" {
				m.msg += " (" + s.synthErr + ")"
			}
		} else {
			m.msg = fmt.Sprintf("studio: %d line(s) of the %s level are not recorded yet: record them, or start the studio with --engine festival to hear synthesised lines in their place", m.lines, m.level)
		}
		return nil, &m
	}
	if err != nil {
		return nil, err
	}
	s.sessions[k] = sess
	return sess, nil
}

// handlePreview streams the session as WAV, rendered as it is read; range
// requests (seeking in the page's player) render from the sample asked for.
func (s *Studio) handlePreview(w http.ResponseWriter, r *http.Request) {
	sess, _, ok := s.requestSession(w, r)
	if !ok {
		return
	}
	wr, err := sess.wav()
	if err != nil {
		fail(w, http.StatusInternalServerError, err)
		return
	}
	defer wr.Close()
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "preview.wav", time.Time{}, wr)
}

// requestSession is the session at the level, and with the music, a
// request asks for; when there is none, the request has been answered with
// the error.
func (s *Studio) requestSession(w http.ResponseWriter, r *http.Request) (*session, routines.Level, bool) {
	level, err := s.level(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return nil, "", false
	}
	bed, err := music(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return nil, "", false
	}
	rate, lufs, err := audioSettings(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err)
		return nil, "", false
	}
	sess, err := s.sessionFor(r.Context(), sessionKey{level: level, music: bed, sampleRate: rate, loudness: lufs})
	if err != nil {
		fail(w, previewStatus(err), err)
		return nil, "", false
	}
	return sess, level, true
}

func previewStatus(err error) int {
	if errors.Is(err, errMissing) {
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// handleDownload renders the session as export does and sends the MP3.
func (s *Studio) handleDownload(w http.ResponseWriter, r *http.Request) {
	sess, level, ok := s.requestSession(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	name := downloadName(s.opt.Routine, level)
	s.mu.Unlock()
	lw := &lazyHeader{w: w, header: func(h http.Header) {
		h.Set("Content-Type", "audio/mpeg")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "no-store")
	}}
	if _, err := sess.writeMP3(r.Context(), lw); err != nil && !lw.started {
		fail(w, http.StatusInternalServerError, err)
	}
}

// downloadName is the MP3's file name: the routine's, then the level.
func downloadName(routine string, level routines.Level) string {
	base := strings.TrimSuffix(filepath.Base(routine), filepath.Ext(routine))
	var b strings.Builder
	for _, r := range base {
		if r < 128 && (r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		b.WriteString("routine")
	}
	return b.String() + "-" + string(level) + ".mp3"
}

// lazyHeader sets the download's headers at its first byte, so an error
// found before any audio (loudness measuring renders everything first)
// still gets an error status.
type lazyHeader struct {
	w       http.ResponseWriter
	header  func(http.Header)
	started bool
}

func (l *lazyHeader) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.header(l.w.Header())
	}
	return l.w.Write(p)
}

// kick asks the background synthesis to run.
func (s *Studio) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Studio) synthLoop() {
	defer s.wg.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.wake:
		}
		if err := s.synthesise(s.ctx); err != nil && s.ctx.Err() == nil {
			fmt.Fprintf(s.opt.Log, "%v\n", err)
		}
	}
}

// synthesise renders, with the engine, the lines that have neither a
// recording nor an engine clip. The engine's folder is a cache, so a second
// run renders nothing.
func (s *Studio) synthesise(ctx context.Context) error {
	s.synthMu.Lock()
	defer s.synthMu.Unlock()
	s.mu.Lock()
	todo := s.engine.Missing(s.voice.Missing(texts(s.lines)))
	dir := s.engine.Dir()
	s.synthBusy = len(todo)
	s.mu.Unlock()
	if len(todo) == 0 {
		return nil
	}
	// Render adds to the voice it is given: a voice of its own keeps the
	// shared one unchanged for readers meanwhile.
	v, err := narration.Open(dir)
	if err == nil {
		_, err = narration.Render(ctx, v, todo, narration.RenderOptions{})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.synthBusy = 0
	s.synthErr = ""
	if err != nil {
		s.synthErr = err.Error()
	}
	if nv, oerr := narration.Open(dir); oerr == nil {
		s.engine = nv
	}
	s.changedLocked()
	if err != nil {
		return fmt.Errorf("studio: synthesising with %s: %w", s.opt.Engine.Name, err)
	}
	return nil
}

package studio

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"routinecast/internal/serve"
	"routinecast/narration"
	"routinecast/routines"
)

//go:embed assets
var assets embed.FS

// Options say what the studio works on.
type Options struct {
	// Routine is the routine file the editor saves to. A built-in routine's
	// name also works: its lines can be recorded, but it cannot be edited.
	Routine string
	// Voice is the folder of the recorded voice; it is made a new voice
	// (FLAC clips, as 'voice import' makes) if it has no voice.yaml. ""
	// is a folder named after the routine: my.yaml records into my-voice.
	Voice string
	// Engine, when its Name is set, synthesises the lines not recorded yet,
	// so the preview can play the whole session; they are labelled as such.
	Engine narration.EngineSpec
	// EngineDir is the folder of the engine's clips; "" is the engine's
	// folder in the user's cache (narration.CacheDir).
	EngineDir string
	// Level is the level the page starts at; "" is standard.
	Level routines.Level
	// Log receives one line per problem met in the background (synthesis);
	// nil discards them.
	Log io.Writer
}

// Studio is the studio's http.Handler. Close it to stop its background work
// and remove its scratch files.
type Studio struct {
	opt      Options
	token    string // in the printed URL, traded for a login on the first load
	hostname string // studio-RANDOM.localhost: the only name the studio answers to on loopback
	cop      *http.CrossOriginProtection
	mux      *http.ServeMux
	scratch  string // uploads and preview voices, removed by Close

	loginMu sync.Mutex
	logins  []string // the cookie values given out, newest last

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{}

	synthMu sync.Mutex // held while synthesising

	mu          sync.Mutex
	src         []byte
	disk        stamp // of the routine file as the studio last read or wrote it
	routine     *routines.Routine
	readOnly    bool
	lines       []lineInfo
	voice       *narration.Voice
	engine      *narration.Voice // nil without an engine
	version     int              // bumped when the routine or any clip changes
	preview     previewVoice
	oldPreviews []string
	sessions    map[sessionKey]*session // compiled at preview.version
	synthBusy   int                     // lines being synthesised
	synthErr    string
}

// New opens the routine and the voice (making the voice folder if needed).
func New(opt Options) (*Studio, error) {
	if opt.Level == "" {
		opt.Level = routines.Standard
	}
	if opt.Voice == "" {
		opt.Voice = strings.TrimSuffix(opt.Routine, filepath.Ext(opt.Routine)) + "-voice"
	}
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	s := &Studio{opt: opt, wake: make(chan struct{}, 1), sessions: map[sessionKey]*session{}}
	if err := s.loadRoutine(); err != nil {
		return nil, err
	}
	v, err := narration.Create(opt.Voice, narration.Manifest{Language: s.routine.Language,
		Engine: narration.EngineSpec{Name: narration.Recorded}, Clips: narration.ClipFormat{Format: "flac"}})
	if err != nil {
		return nil, err
	}
	if v.Manifest.Engine.Name != narration.Recorded {
		return nil, fmt.Errorf("studio: %s is a voice made by an engine: record into a folder of your own", opt.Voice)
	}
	s.voice = v
	if opt.Engine.Name != "" {
		dir := opt.EngineDir
		if dir == "" {
			if dir, err = narration.CacheDir(opt.Engine, s.routine.Language); err != nil {
				return nil, err
			}
		}
		e, err := narration.Create(dir, narration.Manifest{Language: s.routine.Language, Engine: opt.Engine})
		if err != nil {
			return nil, err
		}
		s.engine = e
	}
	if s.scratch, err = os.MkdirTemp("", "routinecast-studio-"); err != nil {
		return nil, fmt.Errorf("studio: %w", err)
	}
	s.token = rand.Text()
	s.hostname = "studio-" + strings.ToLower(rand.Text()) + ".localhost"
	s.cop = http.NewCrossOriginProtection()
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.routes()
	if s.engine != nil {
		s.wg.Add(1)
		go s.synthLoop()
		s.kick()
	}
	return s, nil
}

// loadRoutine reads the routine file, or the built-in routine of that name.
func (s *Studio) loadRoutine() error {
	src, disk, err := readRegular(s.opt.Routine, maxRoutine)
	if errors.Is(err, fs.ErrNotExist) {
		if b, ok := routines.BuiltinSource(s.opt.Routine); ok {
			src, err, s.readOnly = b, nil, true
		}
	}
	if err != nil {
		return fmt.Errorf("studio: %w", err)
	}
	s.disk = disk
	var r *routines.Routine
	if s.readOnly {
		r, err = routines.Builtin(s.opt.Routine) // its pictures are embedded beside it
	} else {
		r, err = routines.Parse(s.opt.Routine, src)
	}
	if err != nil {
		return err
	}
	lines, err := sheetLines(r)
	if err != nil {
		return err
	}
	s.src, s.routine, s.lines = src, r, lines
	return nil
}

// Close stops the background synthesis and removes the scratch files.
func (s *Studio) Close() error {
	s.cancel()
	s.wg.Wait()
	return os.RemoveAll(s.scratch)
}

// Voice is the folder the studio records into.
func (s *Studio) Voice() string { return s.opt.Voice }

// Serve answers requests on ln until ctx is done, then shuts down (see
// serve.Serve).
func (s *Studio) Serve(ctx context.Context, ln net.Listener) error {
	if err := serve.Serve(ctx, s, ln); err != nil {
		return fmt.Errorf("studio: %w", err)
	}
	return nil
}

// IsLoopback reports whether a listening address only takes connections from
// this machine.
func IsLoopback(addr net.Addr) bool {
	ta, ok := addr.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}

func (s *Studio) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.handleIndex)
	m.Handle("GET /assets/", http.FileServerFS(assets))
	m.HandleFunc("GET /api/state", s.handleState)
	m.HandleFunc("GET /api/take/{key}", s.handleGetTake)
	m.HandleFunc("POST /api/take/{key}", s.handlePostTake)
	m.HandleFunc("POST /api/undo/{key}", s.handleUndo)
	m.HandleFunc("GET /api/routine", s.handleGetRoutine)
	m.HandleFunc("POST /api/check", s.handleCheck)
	m.HandleFunc("PUT /api/routine", s.handlePutRoutine)
	m.HandleFunc("GET /api/timeline", s.handleTimeline)
	m.HandleFunc("GET /api/preview.wav", s.handlePreview)
	m.HandleFunc("GET /api/download.mp3", s.handleDownload)
	m.HandleFunc("GET /api/picture/{n}", s.handlePicture)
	s.mux = m
}

func (s *Studio) handleIndex(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; style-src 'self'; script-src 'self'")
	w.Write(b)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// apiError is the body of a failed API request.
type apiError struct {
	Error string `json:"error"`
}

func fail(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, apiError{Error: err.Error()})
}

// state is what the page shows of the lines.
type state struct {
	Title       string         `json:"title"`
	Routine     string         `json:"routine"`
	ReadOnly    bool           `json:"read_only"`
	Voice       string         `json:"voice"`
	Engine      string         `json:"engine,omitempty"`
	Level       string         `json:"level"`
	Levels      []string       `json:"levels"`
	Beds        []string       `json:"beds"` // the built-in music beds the session may have under it
	Total       int            `json:"total"`
	Recorded    int            `json:"recorded"`
	Synthesised int            `json:"synthesised"`
	Missing     int            `json:"missing"`
	SynthBusy   int            `json:"synth_busy"`
	SynthError  string         `json:"synth_error,omitempty"`
	Chapters    []chapterLines `json:"chapters"`
}

type chapterLines struct {
	Title string      `json:"title"`
	Lines []lineState `json:"lines"`
	// Picture is where the page loads the picture of the exercise the
	// chapter is, or "".
	Picture string `json:"picture,omitempty"`
}

type lineState struct {
	Key    string `json:"key"`
	N      int    `json:"n"`
	Text   string `json:"text"`
	Levels string `json:"levels"`
	State  string `json:"state"` // recorded, synthesised or missing
	Undo   bool   `json:"undo"`  // an earlier take can be brought back
}

// Line states.
const (
	stateRecorded    = "recorded"
	stateSynthesised = "synthesised"
	stateMissing     = "missing"
)

func (s *Studio) handleState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := s.stateLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

func (s *Studio) stateLocked() state {
	st := state{Title: s.routine.Title, Routine: s.opt.Routine, ReadOnly: s.readOnly, Voice: s.voice.Dir(),
		Level: string(s.opt.Level), Total: len(s.lines), SynthBusy: s.synthBusy, SynthError: s.synthErr, Chapters: []chapterLines{}}
	for _, l := range routines.Levels() {
		st.Levels = append(st.Levels, string(l))
	}
	st.Beds = beds()
	if s.engine != nil {
		st.Engine = s.opt.Engine.Name
		if s.opt.Engine.Voice != "" {
			st.Engine += " " + s.opt.Engine.Voice
		}
	}
	undo := s.undoKeys()
	pictures := map[string]string{} // by chapter title: an exercise's chapter is its name
	for i := len(s.routine.Exercises) - 1; i >= 0; i-- {
		if u := pictureURL(s.routine, i, s.version); u != "" {
			pictures[s.routine.Exercises[i].Name] = u
		}
	}
	index := map[string]int{}
	for i, l := range s.lines {
		ls := lineState{Key: l.Key, N: i + 1, Text: l.Text, Levels: l.Levels, State: s.lineStateLocked(l.Text), Undo: undo[l.Key]}
		switch ls.State {
		case stateRecorded:
			st.Recorded++
		case stateSynthesised:
			st.Synthesised++
		default:
			st.Missing++
		}
		ci, ok := index[l.Chapter]
		if !ok {
			ci = len(st.Chapters)
			index[l.Chapter] = ci
			st.Chapters = append(st.Chapters, chapterLines{Title: l.Chapter, Picture: pictures[l.Chapter]})
		}
		st.Chapters[ci].Lines = append(st.Chapters[ci].Lines, ls)
	}
	return st
}

func (s *Studio) lineStateLocked(text string) string {
	if _, ok := s.voice.ClipFile(text); ok {
		return stateRecorded
	}
	if s.engine != nil {
		if _, ok := s.engine.ClipFile(text); ok {
			return stateSynthesised
		}
	}
	return stateMissing
}

// line finds a line of the routine by its key.
func (s *Studio) lineLocked(key string) (lineInfo, bool) {
	for _, l := range s.lines {
		if l.Key == key {
			return l, true
		}
	}
	return lineInfo{}, false
}

// changedLocked notes that the routine or a clip changed: compiled sessions
// and the preview voice are stale.
func (s *Studio) changedLocked() {
	s.version++
	clear(s.sessions)
}

// level reads the level a request asks for.
func (s *Studio) level(r *http.Request) (routines.Level, error) {
	q := r.URL.Query().Get("level")
	if q == "" {
		return s.opt.Level, nil
	}
	l, err := routines.ParseLevel(q)
	if err != nil {
		return "", fmt.Errorf("studio: %w", err)
	}
	return l, nil
}

// inside reports whether name is a plain file name, which joined to a folder
// stays in it.
func inside(name string) bool {
	return name != "" && name == filepath.Base(name) && name != "." && name != ".." && !strings.ContainsAny(name, `/\`)
}

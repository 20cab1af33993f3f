package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gopxl/beep/v2"
	ucli "github.com/urfave/cli/v3"
	"golang.org/x/term"

	"routinecast/audio/playback"
	"routinecast/export"
	"routinecast/mixer"
)

func init() { register(playCommand) }

func playCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "play",
		Usage:     "play a routine through the speakers, with a live display and keyboard controls",
		ArgsUsage: "ROUTINE",
		Description: `ROUTINE is a built-in name (see 'routinecast list') or a routine file. The track
is the one 'routinecast export' writes, played as it renders.

Keys:
  space         pause / resume
  n, right      next chapter
  p, left       restart the chapter; twice quickly: the previous chapter
  +, -          volume up / down
  q, Ctrl-C     quit

On a terminal the screen shows the chapter, the line being spoken, the countdown
of the current hold or rest and the progress; otherwise one line is printed per
chapter and per spoken line. With no audio output (no sound server or device),
play fails within 3 seconds: use 'routinecast export' to write a file instead.

Examples:
  routinecast play lower-back --level gentle
  routinecast play lower-back --from 4
  routinecast play lower-back --from bridge --music calm.mp3`,
		Flags: append([]ucli.Flag{
			levelFlag(), minutesFlag(),
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: "voice folder `DIR` (default: the embedded voice)"},
			&ucli.StringFlag{Name: "music", Aliases: []string{"m"}, Usage: "music bed `FILE` (WAV, MP3 or FLAC), looped under the voice"},
			&ucli.StringFlag{Name: "from", Usage: "start at `CHAPTER`: its number (1 is the first) or the start of its title"},
		}, cueFlags()...),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("play: expected one ROUTINE, got %d arguments", c.NArg()))
			}
			if err := levelOrMinutes(c); err != nil {
				return err
			}
			return runPlay(ctx, env, playOptions{
				Routine: c.Args().First(),
				Level:   c.String("level"),
				Minutes: c.Float("minutes"),
				Voice:   c.String("voice"),
				Music:   c.String("music"),
				From:    c.String("from"),
				Cues:    readCueFlags(c),
			})
		},
	}
}

type playOptions struct {
	Routine string
	Level   string
	Minutes float64
	Voice   string
	Music   string
	From    string
	Cues    cueOptions
}

// playRate is the rate the audio output is opened at, before the track is
// known; it is export's default, so nothing is resampled in the usual case.
const playRate = 44100

// playRedraw is how often the display follows the sound.
const playRedraw = 100 * time.Millisecond

func runPlay(ctx context.Context, env *Env, o playOptions) error {
	// The same checks and pipeline as export, so that play sounds like the file.
	eo, err := exportSettings(exportOptions{Routine: o.Routine, Level: o.Level, Minutes: o.Minutes, Voice: o.Voice, Music: o.Music,
		Loudness: -16, SampleRate: playRate, Cues: o.Cues})
	if err != nil {
		return err
	}
	// Open the output while the track is prepared: it is slow on some systems,
	// and on a machine with no sound it fails fast.
	opened := make(chan error, 1)
	go func() { opened <- playback.Init(ctx, playRate) }()

	// Compiling decodes the voice's clips; meanwhile, a machine with no sound
	// says so without waiting for it.
	type compiled struct {
		job *export.Job
		err error
	}
	compiling := make(chan compiled, 1)
	go func() {
		job, err := export.Compile(eo)
		compiling <- compiled{job, err}
	}()
	var job *export.Job
	for job == nil {
		select {
		case err := <-opened:
			if err != nil {
				return err
			}
			opened = nil
		case c := <-compiling:
			if c.err != nil {
				// No sound at all is the first thing to fix, and the error
				// is due within moments.
				if opened != nil {
					if err := <-opened; err != nil {
						return err
					}
				}
				return exportError(c.err)
			}
			job = c.job
		case <-ctx.Done():
			return nil // stopped by the user before the sound began
		}
	}
	tl := job.Timeline
	from, err := playChapterIndex(tl, o.From)
	if err != nil {
		return Usage(err)
	}
	if opened != nil {
		if err := <-opened; err != nil {
			return err
		}
	}

	// Playback starts at once, so it cannot measure the track as export does:
	// the voice's known clip loudness gives the gain, and the limiter keeps
	// the peaks in.
	ren, err := mixer.Render(tl, job.Clips, mixer.RenderOptions{Gain: job.EstimatedGain()})
	if err != nil {
		return err
	}
	defer ren.Close()
	if from >= 0 {
		if err := ren.Seek(tl.Chapters[from].Start); err != nil {
			return err
		}
	}
	p, err := playback.New(ctx, ren, beep.Format{SampleRate: tl.SampleRate, NumChannels: 2, Precision: 2})
	if err != nil {
		return err
	}
	defer p.Close()

	s := &playSession{tl: tl, p: p, title: fmt.Sprintf("%s (%s)", tl.Title, job.Script.Level)}
	return s.run(ctx, env)
}

// playChapterIndex finds the chapter --from names: a number from 1, or the start
// of a title (case does not matter). "" gives -1: from the start of the track.
func playChapterIndex(tl *mixer.Timeline, from string) (int, error) {
	from = strings.TrimSpace(from)
	if from == "" {
		return -1, nil
	}
	if n, err := strconv.Atoi(from); err == nil {
		if n < 1 || n > len(tl.Chapters) {
			return 0, fmt.Errorf("play: --from %d: the routine has chapters 1 to %d", n, len(tl.Chapters))
		}
		return n - 1, nil
	}
	want := strings.ToLower(from)
	for i, c := range tl.Chapters {
		if strings.HasPrefix(strings.ToLower(c.Title), want) {
			return i, nil
		}
	}
	titles := make([]string, len(tl.Chapters))
	for i, c := range tl.Chapters {
		titles[i] = fmt.Sprintf("%d %s", i+1, c.Title)
	}
	return 0, fmt.Errorf("play: --from %q: no chapter starts with that; the chapters are: %s", from, strings.Join(titles, ", "))
}

// playTransport is what a playSession drives: *playback.Player, or a fake in tests.
type playTransport interface {
	Play()
	Pause()
	Paused() bool
	Seek(pos int) error
	Position() int
	SetVolume(v float64)
	Volume() float64
	Done() <-chan struct{}
	Err() error
}

var _ playTransport = (*playback.Player)(nil)

// A playKey is one command from the keyboard.
type playKey int

const (
	playKeyNone playKey = iota
	playKeyPause
	playKeyNext
	playKeyPrev
	playKeyLouder
	playKeySofter
	playKeyQuit
)

// playPrevTwice is how soon a second p must follow the first to go to the previous
// chapter rather than restart the same one again.
const playPrevTwice = 1500 * time.Millisecond

// playVolumeStep is the change of one + or -.
const playVolumeStep = 0.1

// playSession plays a timeline through a playTransport and answers the keys.
type playSession struct {
	tl    *mixer.Timeline
	p     playTransport
	title string

	lastPrev    time.Time // when p was last pressed
	lastPrevTo  int       // the chapter it went to
	lastMessage string    // the last key's effect, for the display
}

// playChapterAt returns the chapter playing at sample pos, -1 before the first.
func playChapterAt(tl *mixer.Timeline, pos int) int {
	i := -1
	for j, c := range tl.Chapters {
		if c.Start <= pos {
			i = j
		}
	}
	return i
}

// press acts on k at time now and reports whether to stop.
func (s *playSession) press(k playKey, now time.Time) (quit bool, err error) {
	switch k {
	case playKeyPause:
		if s.p.Paused() {
			s.p.Play()
			s.lastMessage = "resumed"
		} else {
			s.p.Pause()
			s.lastMessage = "paused"
		}
	case playKeyNext:
		i := playChapterAt(s.tl, s.p.Position()) + 1
		if i >= len(s.tl.Chapters) {
			s.lastMessage = "end"
			return false, s.p.Seek(s.tl.Length)
		}
		s.lastMessage = "next chapter"
		return false, s.p.Seek(s.tl.Chapters[i].Start)
	case playKeyPrev:
		if len(s.tl.Chapters) == 0 {
			return false, s.p.Seek(0)
		}
		i := max(playChapterAt(s.tl, s.p.Position()), 0)
		s.lastMessage = "chapter restarted"
		if now.Sub(s.lastPrev) < playPrevTwice && i == s.lastPrevTo && i > 0 {
			i--
			s.lastMessage = "previous chapter"
		}
		s.lastPrev, s.lastPrevTo = now, i
		return false, s.p.Seek(s.tl.Chapters[i].Start)
	case playKeyLouder, playKeySofter:
		v := s.p.Volume() + playVolumeStep
		if k == playKeySofter {
			v = s.p.Volume() - playVolumeStep
		}
		// Round to the step, so that steps do not drift by float error.
		v = float64(int(v/playVolumeStep+0.5)) * playVolumeStep
		s.p.SetVolume(v)
		s.lastMessage = fmt.Sprintf("volume %d%%", int(s.p.Volume()*100+0.5))
	case playKeyQuit:
		return true, nil
	}
	return false, nil
}

// run starts the sound and the display, and returns when the track ends, the
// user quits or ctx ends. The terminal is restored on every way out.
func (s *playSession) run(ctx context.Context, env *Env) error {
	out := env.Stdout
	in, _ := env.Stdin.(*os.File)
	outFile, _ := out.(*os.File)
	live := outFile != nil && term.IsTerminal(int(outFile.Fd()))

	// Raw mode, so that keys come one by one and unechoed. Ctrl-C then arrives
	// as a key, not a signal; the signal handler covers the other ways to stop.
	if in != nil && term.IsTerminal(int(in.Fd())) {
		old, err := term.MakeRaw(int(in.Fd()))
		if err == nil {
			restore := func() { _ = term.Restore(int(in.Fd()), old) }
			defer restore()
			sig := make(chan os.Signal, 1)
			signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer signal.Stop(sig)
			var cancel context.CancelFunc
			ctx, cancel = context.WithCancel(ctx)
			defer cancel()
			go func() {
				select {
				case <-sig:
					cancel()
				case <-ctx.Done():
				}
			}()
		}
	}

	var d playDisplay
	if live {
		d = &playLive{w: out, fd: int(outFile.Fd())}
	} else {
		d = &playPlain{w: out}
	}
	keys := make(chan playKey, 16)
	if env.Stdin != nil {
		go playReadKeys(env.Stdin, keys)
	}

	err := s.loop(ctx, d, keys)
	d.close()
	if live {
		// The alternate screen is gone: leave a line saying where it stopped.
		st := s.status()
		where := fmt.Sprintf("played to the end (%s)", playClock(st.Total))
		if st.Pos < s.tl.Length {
			where = fmt.Sprintf("stopped at %s of %s", playClock(st.Elapsed), playClock(st.Total))
			if st.Chapter >= 0 {
				where += fmt.Sprintf(", chapter %d of %d (%s)", st.Chapter+1, len(st.Chapters), st.Chapters[st.Chapter].Title)
			}
		}
		fmt.Fprintf(out, "%s: %s\r\n", s.title, where)
	}
	return err
}

// loop plays until the end, a quit key or ctx's end, showing the status.
func (s *playSession) loop(ctx context.Context, d playDisplay, keys chan playKey) error {
	s.p.Play()
	tick := time.NewTicker(playRedraw)
	defer tick.Stop()
	d.show(s.status())
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.p.Done():
			d.show(s.status())
			return s.p.Err()
		case k, ok := <-keys:
			if !ok {
				keys = nil // no more input: play on
				continue
			}
			quit, err := s.press(k, time.Now())
			if err != nil {
				return err
			}
			if quit {
				return nil
			}
			d.show(s.status())
		case <-tick.C:
			d.show(s.status())
		}
	}
}

// playReadKeys turns the bytes of r into keys, arrows included, until r ends.
func playReadKeys(r io.Reader, keys chan<- playKey) {
	defer close(keys)
	var p playKeyParser
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			if k := p.feed(b); k != playKeyNone {
				keys <- k
			}
		}
		if err != nil {
			return
		}
	}
}

// playKeyParser recognises single-byte keys and the escape sequences of the arrow
// keys (ESC [ C and ESC O C, and so on).
type playKeyParser struct{ state int }

func (p *playKeyParser) feed(b byte) playKey {
	switch p.state {
	case 1: // after ESC
		if b == '[' || b == 'O' {
			p.state = 2
			return playKeyNone
		}
		p.state = 0
	case 2: // after ESC [
		p.state = 0
		switch b {
		case 'C':
			return playKeyNext
		case 'D':
			return playKeyPrev
		case 'A':
			return playKeyLouder
		case 'B':
			return playKeySofter
		}
		return playKeyNone
	}
	switch b {
	case 0x1b:
		p.state = 1
	case ' ':
		return playKeyPause
	case 'n', 'N':
		return playKeyNext
	case 'p', 'P':
		return playKeyPrev
	case '+', '=':
		return playKeyLouder // '=' is + without shift
	case '-', '_':
		return playKeySofter
	case 'q', 'Q', 0x03, 0x04: // Ctrl-C and Ctrl-D in raw mode
		return playKeyQuit
	}
	return playKeyNone
}

// playStatus is what the display shows at one moment.
type playStatus struct {
	Title    string
	Chapter  int // index, -1 before the first
	Chapters []mixer.Chapter
	Line     string // being spoken now, or ""
	// Timer is the current hold, rest or breath: its kind and the time left.
	Timer     mixer.EventKind
	TimerLeft time.Duration
	Pos       int // sample being heard
	Elapsed   time.Duration
	Total     time.Duration
	Paused    bool
	Volume    float64
	Message   string
}

func (s *playSession) status() playStatus {
	pos := s.p.Position()
	st := playStatusAt(s.tl, pos)
	st.Title = s.title
	st.Paused = s.p.Paused()
	st.Volume = s.p.Volume()
	st.Message = s.lastMessage
	return st
}

// playStatusAt reads the timeline at sample pos.
func playStatusAt(tl *mixer.Timeline, pos int) playStatus {
	st := playStatus{
		Chapter:  playChapterAt(tl, pos),
		Chapters: tl.Chapters,
		Pos:      pos,
		Elapsed:  tl.Time(pos),
		Total:    tl.Duration(),
	}
	for _, e := range tl.Events {
		if e.Start > pos {
			break
		}
		if pos >= e.End {
			continue
		}
		switch {
		case e.Kind.Voice():
			st.Line = e.Text
		case e.Kind.Segment():
			st.Timer = e.Kind
			// Round up: a countdown shows 1 during its last second, never 0.
			left := e.End - pos
			st.TimerLeft = tl.Time(left + int(tl.SampleRate) - 1).Truncate(time.Second)
		}
	}
	return st
}

// playDisplay shows the status as the track plays.
type playDisplay interface {
	show(playStatus)
	close()
}

// playPlain prints one line per chapter and per spoken line, with the time,
// for output that is not a terminal.
type playPlain struct {
	w       io.Writer
	lastPos int
	chapter int
	line    string
	paused  bool
	started bool
}

func (d *playPlain) show(st playStatus) {
	if !d.started {
		d.started = true
		fmt.Fprintf(d.w, "%s, %s, %d chapters\n", st.Title, playClock(st.Total), len(st.Chapters))
		d.chapter = -1
	}
	// After a seek, say where playback went, even within the same chapter.
	jumped := st.Pos < d.lastPos || st.Pos-d.lastPos > 2*int(playRate)
	d.lastPos = st.Pos
	if (st.Chapter != d.chapter || jumped) && st.Chapter >= 0 {
		c := st.Chapters[st.Chapter]
		fmt.Fprintf(d.w, "%s chapter %d/%d: %s\n", playClock(st.Elapsed), st.Chapter+1, len(st.Chapters), c.Title)
		d.chapter = st.Chapter
	}
	if st.Line != "" && st.Line != d.line {
		fmt.Fprintf(d.w, "%s   %s\n", playClock(st.Elapsed), st.Line)
	}
	d.line = st.Line
	if st.Paused != d.paused && st.Elapsed > 0 {
		if st.Paused {
			fmt.Fprintf(d.w, "%s paused\n", playClock(st.Elapsed))
		} else {
			fmt.Fprintf(d.w, "%s resumed\n", playClock(st.Elapsed))
		}
	}
	d.paused = st.Paused
}

func (d *playPlain) close() {}

// playLive redraws the screen of a terminal, in the alternate screen buffer so
// that the user's scrollback is left as it was.
type playLive struct {
	w      io.Writer
	fd     int // the terminal, asked for its width at every frame
	opened bool
}

func (d *playLive) show(st playStatus) {
	var b strings.Builder
	if !d.opened {
		d.opened = true
		b.WriteString("\x1b[?1049h\x1b[?25l") // alternate screen, hide the cursor
	}
	b.WriteString("\x1b[H")
	width := 80
	if w, _, err := term.GetSize(d.fd); err == nil && w > 20 {
		width = w
	}
	for _, l := range playScreen(st, width) {
		b.WriteString(l)
		b.WriteString("\x1b[K\r\n") // clear the rest of the line; raw mode needs \r
	}
	b.WriteString("\x1b[J")
	io.WriteString(d.w, b.String())
}

func (d *playLive) close() {
	if d.opened {
		io.WriteString(d.w, "\x1b[?25h\x1b[?1049l")
	}
}

// playScreen lays out the live display as lines of at most width columns.
func playScreen(st playStatus, width int) []string {
	w := max(width-2, 20)
	var lines []string
	add := func(s string) { lines = append(lines, " "+playFit(s, w)) }

	add(st.Title)
	if st.Chapter >= 0 {
		add(fmt.Sprintf("Chapter %d of %d · %s", st.Chapter+1, len(st.Chapters), st.Chapters[st.Chapter].Title))
	} else {
		add(fmt.Sprintf("%d chapters", len(st.Chapters)))
	}
	add("")
	spoken := playWrap(st.Line, w, 3)
	for len(spoken) < 3 {
		spoken = append(spoken, "")
	}
	for _, l := range spoken {
		add(l)
	}
	add("")
	if st.Timer != "" {
		add(strings.ToUpper(strings.ReplaceAll(string(st.Timer), "_", " ")))
		for _, l := range playBigDigits(int(st.TimerLeft / time.Second)) {
			add(l)
		}
	} else {
		for range 6 {
			add("")
		}
	}
	add("")
	left := st.Total - st.Elapsed
	times := fmt.Sprintf(" %s / %s · %s left", playClock(st.Elapsed), playClock(st.Total), playClock(left))
	add(playBar(st.Elapsed, st.Total, w-len([]rune(times))) + times)
	state := fmt.Sprintf("volume %d%%", int(st.Volume*100+0.5))
	if st.Paused {
		state = "PAUSED · " + state
	}
	if st.Message != "" {
		state += " · " + st.Message
	}
	add(state)
	add("")
	add("space pause · n/→ next chapter · p/← restart chapter (twice: previous)")
	add("+/- volume · q quit")
	return lines
}

// playBar draws a progress bar of n columns.
func playBar(done, total time.Duration, n int) string {
	n = max(n-2, 5)
	filled := 0
	if total > 0 {
		filled = int(int64(n) * int64(done) / int64(total))
	}
	filled = min(max(filled, 0), n)
	return "[" + strings.Repeat("█", filled) + strings.Repeat("░", n-filled) + "]"
}

// playClock formats a duration as mm:ss (h:mm:ss past an hour).
func playClock(d time.Duration) string { return clock(max(d, 0).Seconds()) }

// playFit cuts s to n columns (runes), marking a cut with an ellipsis.
func playFit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// playWrap breaks s into at most rows lines of n columns at spaces.
func playWrap(s string, n, rows int) []string {
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case len([]rune(line))+1+len([]rune(word)) <= n:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) > rows {
		out = out[:rows]
		out[rows-1] = playFit(out[rows-1]+" …", n)
	}
	return out
}

// playDigitFont draws 0-9 in 5 rows of 3 columns.
var playDigitFont = [10][5]string{
	{"███", "█ █", "█ █", "█ █", "███"},
	{" ██", "  █", "  █", "  █", "  █"},
	{"███", "  █", "███", "█  ", "███"},
	{"███", "  █", "███", "  █", "███"},
	{"█ █", "█ █", "███", "  █", "  █"},
	{"███", "█  ", "███", "  █", "███"},
	{"███", "█  ", "███", "█ █", "███"},
	{"███", "  █", "  █", "  █", "  █"},
	{"███", "█ █", "███", "█ █", "███"},
	{"███", "█ █", "███", "  █", "███"},
}

// playBigDigits draws n in large digits, 5 rows.
func playBigDigits(n int) []string {
	digits := strconv.Itoa(max(n, 0))
	rows := make([]string, 5)
	for i, c := range digits {
		for r := range rows {
			if i > 0 {
				rows[r] += " "
			}
			rows[r] += playDigitFont[c-'0'][r]
		}
	}
	return rows
}

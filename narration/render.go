package narration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"routinecast/internal/atomicfile"
	"routinecast/narration/internal/wasmhost"
)

// RenderOptions tunes Render. The zero value is ready to use.
type RenderOptions struct {
	// Jobs is how many lines render at once; 0 means runtime.NumCPU().
	Jobs int
	// Timeout bounds one engine run; 0 means DefaultTimeout.
	Timeout time.Duration
	// Progress, when set, is called after each line, from one goroutine
	// at a time.
	Progress func(Progress)
}

// DefaultTimeout bounds an engine's run on one line. festival takes about a
// second a line; a program still running after this is taken to hang.
const DefaultTimeout = 2 * time.Minute

// Progress reports one finished line of a Render.
type Progress struct {
	Done, Total int    // lines finished (including this one) and lines to render
	Line        string // the line
	File        string // the clip's file name, when it rendered
	Err         error  // why the line failed, or nil
}

// RenderResult says what Render did.
type RenderResult struct {
	Rendered []string // lines that got a clip
	Cached   int      // lines that already had one
	Failed   int      // lines that failed (their errors are Render's error)
}

// LineError is the failure of one line.
type LineError struct {
	Line string
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("narration: line %q: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Render makes the missing clips of lines with the voice's engine, several
// at once, and adds them to the voice's folder. A line that already has a
// clip is left alone, so Render works as a cache. Each clip is trimmed of
// leading and trailing silence and brought to the voice's loudness (see
// ClipFormat).
//
// The first line whose engine run fails (the program is missing, exits
// non-zero, crashes, outlives the timeout, or writes no audio, silence or
// something that does not decode) stops the whole render at once: the lines
// still running are killed, none is started, and Render returns that line's
// *LineError, which names the engine, the line and what the program printed.
// A failed or killed line gets no clip: nothing of it is left in the folder.
// Clips of lines that finished before are kept, each checked whole. When
// ctx is cancelled Render stops the same way and returns ctx's error.
func Render(ctx context.Context, v *Voice, lines []string, opt RenderOptions) (RenderResult, error) {
	var res RenderResult
	if v.dir == "" {
		return res, fmt.Errorf("narration: the embedded voice cannot take new clips: render into a folder (--voice DIR)")
	}
	engine, err := NewEngine(v.Manifest.Engine, v.Manifest.Language)
	if err != nil {
		return res, err
	}
	todo := v.Missing(lines)
	if a, ok := engine.(interface{ Available() error }); ok && len(todo) > 0 {
		if err := a.Available(); err != nil {
			return res, fmt.Errorf("narration: %w", err)
		}
	}
	res.Cached = len(dedupe(v, lines)) - len(todo)
	if len(todo) == 0 {
		return res, nil
	}
	if _, inProcess := engine.(builtinEngine); inProcess {
		defer wasmhost.Busy()()
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = min(jobs, len(todo))
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// A render killed with SIGKILL leaves its scratch folder behind; the
	// next render removes it.
	scratch, err := atomicfile.MkdirTemp("", "routinecast-render-")
	if err != nil {
		return res, fmt.Errorf("narration: %w", err)
	}
	defer os.RemoveAll(scratch)

	type result struct {
		line, file string
		err        error
	}
	// The first line that fails stops the render: an engine that crashes
	// or hangs on one line would most likely do it on every line, and a
	// hung engine would cost one full timeout per line.
	parent := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	var first *LineError

	work := make(chan string)
	results := make(chan result)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for line := range work {
				file, err := v.renderLine(ctx, engine, line, scratch, timeout)
				results <- result{line, file, err}
			}
		}()
	}
	// On several cores, longest lines first: the render ends when its last
	// line does, and a long line started last would run alone on one core.
	// One job takes them in order.
	order := todo
	if jobs > 1 {
		order = slices.Clone(todo)
		slices.SortStableFunc(order, func(a, b string) int { return len(b) - len(a) })
	}
	go func() {
		defer close(work)
		for _, l := range order {
			select {
			case work <- l:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	done := 0
	for r := range results {
		done++
		// A line cut short because the render stopped did not fail.
		stopped := r.err != nil && ctx.Err() != nil && errors.Is(r.err, context.Canceled)
		switch {
		case r.err == nil:
			res.Rendered = append(res.Rendered, r.line)
			v.clips[v.Key(r.line)] = r.file
		case !stopped:
			res.Failed++
			if first == nil {
				first = &LineError{Line: r.line, Err: r.err}
				stop()
			}
		}
		if opt.Progress != nil && !stopped {
			opt.Progress(Progress{Done: done, Total: len(todo), Line: r.line, File: r.file, Err: r.err})
		}
	}
	if first != nil {
		if errors.Is(first.Err, ErrNotInstalled) { // the same for every line: no need to name one
			return res, fmt.Errorf("narration: %w", first.Err)
		}
		return res, first
	}
	if err := parent.Err(); err != nil {
		return res, fmt.Errorf("narration: rendering stopped after %d of %d lines: %w", len(res.Rendered), len(todo), err)
	}
	return res, nil
}

// dedupe returns lines with one line per key.
func dedupe(v *Voice, lines []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lines {
		if k := v.Key(l); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}

// renderLine runs the engine on one line, in a scratch folder of its own,
// and stores the finished clip in the voice's folder. It returns the clip's
// file name.
func (v *Voice) renderLine(ctx context.Context, engine Engine, line, scratch string, timeout time.Duration) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(scratch, "line-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	raw := filepath.Join(dir, "speech.wav")
	rctx, cancel := context.WithTimeout(ctx, timeout)
	err = engine.Render(rctx, line, raw)
	timedOut := ctx.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded)
	cancel()
	if timedOut {
		return "", fmt.Errorf("%w (the timeout is %v a line)", err, timeout)
	}
	if err != nil {
		return "", err
	}
	name := v.FileName(line)
	err = v.store(name, dir, func(tmp string) error {
		if err := finishClip(raw, tmp, v.Manifest.Clips); err != nil {
			return fmt.Errorf("%s: engine output %w", v.Manifest.Engine.Name, err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return name, nil
}

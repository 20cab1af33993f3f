package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	ucli "github.com/urfave/cli/v3"
	"golang.org/x/term"

	"routinecast/internal/buildid"
	"routinecast/mixer"
	"routinecast/pack"
)

func init() { register(packCommand) }

func packCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "pack",
		Usage: "turn a list of routines into a podcast: episodes, feed, chapters, transcripts and a page",
		Description: `A pack file (YAML) names the podcast (title, author, description, cover,
categories, the URL it will be published at) and its episodes: a routine (built-in
name or file) at a level, with an optional voice and music bed. 'pack build'
renders it into a folder that any web server can publish; 'pack serve' serves that
folder so a podcast app on the same network can subscribe to it.

Examples:
  routinecast pack new > my-pack.yaml
  routinecast pack validate examples/back-care.yaml
  routinecast pack build examples/back-care.yaml -o public
  routinecast pack serve public --addr 0.0.0.0:8080`,
		Commands: []*ucli.Command{packBuildCommand(env), packNewCommand(env), packServeCommand(env), packValidateCommand(env)},
	}
}

func packNewCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "new",
		Usage: "print a commented template pack file that shows every field",
		Description: `Examples:
  routinecast pack new > my-pack.yaml`,
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 0 {
				return Usage(fmt.Errorf("pack new: takes no arguments, got %d", c.NArg()))
			}
			_, err := env.Stdout.Write(pack.Template())
			return err
		},
	}
}

func packValidateCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "validate",
		Usage:     "check pack files and the routine files they name; silent when valid",
		ArgsUsage: "PACK.yaml...",
		Description: `Prints one line per problem, as FILE:LINE:COLUMN: message, for every problem in
every pack file and in the routine files they name, and exits with code 2 if there
is any. Checks the cover (a square PNG or JPEG of 1400 to 3000 pixels, as Apple
Podcasts requires), the categories (Apple's names), the dates and every path, and
everything 'pack build' needs: each music file decodes, each voice folder is a
voice with a clip for every line of its episodes, and every clip decodes.

Examples:
  routinecast pack validate examples/back-care.yaml`,
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() == 0 {
				return Usage(errors.New("pack validate: give one or more pack files"))
			}
			bad := 0
			for _, f := range c.Args().Slice() {
				p, err := pack.LoadContext(ctx, f)
				if err == nil {
					err = pack.Check(ctx, p)
				}
				if errors.Is(err, context.Canceled) {
					return err
				}
				if err != nil {
					fmt.Fprintln(env.Stderr, err)
					bad++
				}
			}
			if bad > 0 {
				return Usage(silent{fmt.Errorf("%d of %d pack files invalid", bad, c.NArg())})
			}
			return nil
		},
	}
}

func packBuildCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "build",
		Usage:     "render a pack into a folder: MP3s, chapters, transcripts, feed.xml and index.html",
		ArgsUsage: "PACK.yaml",
		Description: `Renders every episode to DIR/SLUG.mp3 (ID3 tags, chapters and the cover), with
its chapters (DIR/SLUG.chapters.json, Podcasting 2.0) and transcript (DIR/SLUG.vtt),
and writes DIR/feed.xml (RSS with the iTunes and Podcasting 2.0 tags), DIR/index.html
(a page with a player and the chapters of each episode) and the cover.

Episodes render in parallel, one per core. A rebuild renders only the episodes
whose inputs changed (routine, level, voice, music, audio settings, titles, the
cover or the program version) and keeps the others' files byte for byte. The build
happens beside DIR and replaces it at the end, so a failed or interrupted build
leaves DIR as it was. DIR must be empty, missing or an earlier build.

Examples:
  routinecast pack build examples/back-care.yaml -o public
  routinecast pack build my-pack.yaml -o public --jobs 1
  routinecast pack build my-pack.yaml -o public --force`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "`DIR` to build into (required)"},
			&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "episodes rendered at once (default: the number of cores)"},
			&ucli.BoolFlag{Name: "force", Usage: "render every episode again, even unchanged ones"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("pack build: expected one PACK.yaml, got %d arguments", c.NArg()))
			}
			return runPackBuild(ctx, env, packBuildOptions{
				Pack: c.Args().First(), Dir: c.String("output"), Jobs: c.Int("jobs"), Force: c.Bool("force"),
			})
		},
	}
}

type packBuildOptions struct {
	Pack  string
	Dir   string
	Jobs  int
	Force bool
}

func runPackBuild(ctx context.Context, env *Env, o packBuildOptions) error {
	if o.Dir == "" {
		return Usage(errors.New("pack build: give the folder to build into with -o DIR"))
	}
	if o.Jobs < 0 {
		return Usage(fmt.Errorf("pack build: --jobs %d: give a positive number", o.Jobs))
	}
	p, err := pack.LoadContext(ctx, o.Pack)
	if err == nil {
		// Everything a render needs is checked before the first one
		// starts, so bad input is exit 2 here as in 'pack validate'.
		err = pack.Check(ctx, p)
	}
	if errors.Is(err, context.Canceled) {
		return Interrupted(err, "nothing was written")
	}
	if err != nil {
		var pe pack.Errors
		if errors.As(err, &pe) {
			fmt.Fprintln(env.Stderr, err)
			return Usage(silent{err})
		}
		return Usage(err)
	}
	disp := newBuildDisplay(env.Stderr)
	rep, err := pack.Build(ctx, p, o.Dir, pack.BuildOptions{Version: Version + "+" + buildid.ID(), Jobs: o.Jobs, Force: o.Force, Progress: disp.update})
	disp.finish()
	if err != nil {
		return Interrupted(err, o.Dir+" was left as it was")
	}
	var total time.Duration
	var bytes int64
	for _, e := range rep.Episodes {
		total += e.Duration
		bytes += e.Bytes
	}
	fmt.Fprintf(env.Stdout, "built %s: %d episodes (%d rendered, %d unchanged), %s of audio, %.1f MB; feed %s\n",
		rep.Dir, len(rep.Episodes), rep.Rendered, rep.Reused, mixer.Clock(total.Round(time.Second).Seconds()), float64(bytes)/1e6, p.BaseURL+"feed.xml")
	return nil
}

// buildDisplay shows a build's progress: on a terminal one line, redrawn, with
// each rendering episode's percentage; elsewhere (logs, CI) a line for each
// episode done.
type buildDisplay struct {
	w       io.Writer
	tty     bool
	mu      sync.Mutex
	pct     map[string]int // -1 while measuring loudness
	done    int
	count   int
	last    time.Time
	drawn   bool
	started time.Time
}

func newBuildDisplay(w io.Writer) *buildDisplay {
	d := &buildDisplay{w: w, pct: map[string]int{}, started: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		d.tty = true
	}
	return d
}

func (d *buildDisplay) update(pr pack.Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	slug := pr.Episode.Slug
	switch pr.Kind {
	case pack.Reused:
		d.line("unchanged %s.mp3 (%s)", slug, mixer.Clock(pr.Duration.Round(time.Second).Seconds()))
	case pack.Started:
		d.count = pr.Count
		d.pct[slug] = 0
		d.redraw(true)
	case pack.Measuring:
		d.pct[slug] = -1
		d.redraw(true)
	case pack.Advanced:
		if pr.Total > 0 {
			d.pct[slug] = int(pr.Done * 100 / pr.Total)
		}
		d.redraw(false)
	case pack.Rendered:
		delete(d.pct, slug)
		d.done++
		d.line("rendered %s.mp3 (%s, %.1f MB) in %.1fs [%d/%d]", slug, mixer.Clock(pr.Duration.Round(time.Second).Seconds()),
			float64(pr.Bytes)/1e6, pr.Elapsed.Seconds(), d.done, d.count)
		d.redraw(true)
	}
}

// line prints a line that stays, above the redrawn status line.
func (d *buildDisplay) line(format string, args ...any) {
	if d.tty && d.drawn {
		fmt.Fprint(d.w, "\r\033[K")
		d.drawn = false
	}
	fmt.Fprintf(d.w, format+"\n", args...)
}

func (d *buildDisplay) redraw(force bool) {
	if !d.tty || len(d.pct) == 0 {
		return
	}
	if !force && time.Since(d.last) < 100*time.Millisecond {
		return
	}
	d.last = time.Now()
	slugs := make([]string, 0, len(d.pct))
	for s := range d.pct {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	parts := make([]string, len(slugs))
	for i, s := range slugs {
		if d.pct[s] < 0 {
			parts[i] = s + " measuring"
		} else {
			parts[i] = fmt.Sprintf("%s %d%%", s, d.pct[s])
		}
	}
	fmt.Fprintf(d.w, "\r\033[Krendering [%d/%d done] %s", d.done, d.count, strings.Join(parts, ", "))
	d.drawn = true
}

func (d *buildDisplay) finish() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tty && d.drawn {
		fmt.Fprint(d.w, "\r\033[K")
		d.drawn = false
	}
}

func packServeCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "serve",
		Usage:     "serve a built pack over HTTP, with byte ranges, and print its feed URL",
		ArgsUsage: "DIR",
		Description: `Serves DIR (made by 'pack build') until interrupted. The feed is served with the
pack's published base URL replaced by this server's address, so a podcast app can
subscribe to it and play the episodes before the pack is published. Give
--addr 0.0.0.0:8080 to let a phone on the same network reach it.

Examples:
  routinecast pack serve public
  routinecast pack serve public --addr 0.0.0.0:8080`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "`HOST:PORT` to listen on"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("pack serve: expected one DIR, got %d arguments", c.NArg()))
			}
			return runPackServe(ctx, env, packServeOptions{Dir: c.Args().First(), Addr: c.String("addr")})
		},
	}
}

type packServeOptions struct {
	Dir  string
	Addr string
	// listening, if set, is told the address once the server accepts
	// connections (tests listen on port 0).
	listening func(addr string)
}

func runPackServe(ctx context.Context, env *Env, o packServeOptions) error {
	h, err := pack.Handler(o.Dir)
	if err != nil {
		return Usage(err)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("pack serve: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	fmt.Fprintf(env.Stdout, "serving %s\n", o.Dir)
	for _, u := range serveURLs(addr) {
		fmt.Fprintf(env.Stdout, "feed: %sfeed.xml  page: %s\n", u, u)
	}
	fmt.Fprintln(env.Stdout, "press Ctrl-C to stop")
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if o.listening != nil {
		o.listening(addr.String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("pack serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("pack serve: %w", err)
	}
	return nil
}

// serveURLs are the base URLs the server is reached at: its address, or for
// an unspecified one (0.0.0.0, ::) the addresses of the machine's interfaces.
func serveURLs(a *net.TCPAddr) []string {
	url := func(ip net.IP) string {
		return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(a.Port)) + "/"
	}
	if !a.IP.IsUnspecified() {
		return []string{url(a.IP)}
	}
	var out []string
	addrs, _ := net.InterfaceAddrs()
	for _, ad := range addrs {
		if n, ok := ad.(*net.IPNet); ok && n.IP.To4() != nil {
			out = append(out, url(n.IP))
		}
	}
	if len(out) == 0 {
		out = append(out, url(net.IPv4(127, 0, 0, 1)))
	}
	return out
}

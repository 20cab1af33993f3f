package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/internal/buildid"
	"routinecast/mixer"
	"routinecast/pack"
)

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
				_, err := pack.Validate(ctx, f)
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
			if err := oneArg(c, "PACK.yaml"); err != nil {
				return err
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
	// Everything a render needs is checked before the first one starts, so
	// bad input is exit 2 here as in 'pack validate'.
	p, err := pack.Validate(ctx, o.Pack)
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
	disp := pack.NewDisplay(env.Stderr)
	rep, err := pack.Build(ctx, p, o.Dir, pack.BuildOptions{Version: Version + "+" + buildid.ID(), Jobs: o.Jobs, Force: o.Force, Progress: disp.Update})
	disp.Finish()
	if err != nil {
		return Interrupted(err, o.Dir+" was left as it was")
	}
	length, bytes := rep.Totals()
	fmt.Fprintf(env.Stdout, "built %s: %d episodes (%d rendered, %d unchanged), %s of audio, %.1f MB; feed %s\n",
		rep.Dir, len(rep.Episodes), rep.Rendered, rep.Reused, mixer.Clock(length.Round(time.Second).Seconds()), float64(bytes)/1e6, p.BaseURL+"feed.xml")
	return nil
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
			if err := oneArg(c, "DIR"); err != nil {
				return err
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
	fmt.Fprintf(env.Stdout, "serving %s\n", o.Dir)
	for _, u := range pack.URLs(ln.Addr().(*net.TCPAddr)) {
		fmt.Fprintf(env.Stdout, "feed: %sfeed.xml  page: %s\n", u, u)
	}
	fmt.Fprintln(env.Stdout, "press Ctrl-C to stop")
	if o.listening != nil {
		o.listening(ln.Addr().String())
	}
	if err := pack.Serve(ctx, h, ln); err != nil {
		return fmt.Errorf("pack serve: %w", err)
	}
	return nil
}

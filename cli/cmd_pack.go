package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/internal/buildid"
	"routinecast/internal/progress"
	"routinecast/internal/serve"
	"routinecast/pack"
	"routinecast/routines"
)

func packCommand(env *Env) *ucli.Command {
	return described("pack", &ucli.Command{
		Commands: []*ucli.Command{packBuildCommand(env), packNewCommand(env), packServeCommand(env), packValidateCommand(env)},
	})
}

func packNewCommand(env *Env) *ucli.Command {
	return described("pack new", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			_, err := env.Stdout.Write(pack.Template())
			return err
		},
	})
}

func packValidateCommand(env *Env) *ucli.Command {
	return described("pack validate", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			bad := 0
			for _, f := range given(c) {
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
				return Usage(silent{fmt.Errorf("%d of %d pack files invalid", bad, len(given(c)))})
			}
			return nil
		},
	})
}

func packBuildCommand(env *Env) *ucli.Command {
	return described("pack build", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "`DIR` to build into (required)"},
			&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "episodes rendered at once (default: the number of cores)", Validator: jobsCheck},
			&ucli.BoolFlag{Name: "force", Usage: "render every episode again, even unchanged ones"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runPackBuild(ctx, env, packBuildOptions{
				Pack: firstArg(c), Dir: c.String("output"), Jobs: c.Int("jobs"), Force: c.Bool("force"),
			})
		},
	})
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
	disp := newPackDisplay(env.Stderr, progress.IsTerminal(env.Stderr))
	rep, err := pack.Build(ctx, p, o.Dir, pack.BuildOptions{Version: Version + "+" + buildid.ID(), Jobs: o.Jobs, Force: o.Force, Progress: disp.update})
	disp.finish()
	if err != nil {
		return Interrupted(err, o.Dir+" was left as it was")
	}
	length, bytes := rep.Totals()
	fmt.Fprintf(env.Stdout, "built %s: %d episodes (%d rendered, %d unchanged), %s of audio, %.1f MB; feed %s\n",
		rep.Dir, len(rep.Episodes), rep.Rendered, rep.Reused, routines.FormatClock(length.Round(time.Second)), float64(bytes)/1e6, p.BaseURL+"feed.xml")
	return nil
}

func packServeCommand(env *Env) *ucli.Command {
	return described("pack serve", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "`HOST:PORT` to listen on"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runPackServe(ctx, env, packServeOptions{Dir: firstArg(c), Addr: c.String("addr")})
		},
	})
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
	ln, err := listen("pack serve", o.Addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "serving %s\n", o.Dir)
	for _, u := range pack.URLs(ln.Addr().(*net.TCPAddr)) {
		fmt.Fprintf(env.Stdout, "feed: %sfeed.xml  page: %s\n", u, u)
	}
	fmt.Fprintln(env.Stdout, "press Ctrl-C to stop")
	if o.listening != nil {
		o.listening(ln.Addr().String())
	}
	if err := serve.Serve(ctx, h, ln); err != nil {
		return fmt.Errorf("pack serve: %w", err)
	}
	return nil
}

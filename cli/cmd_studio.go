package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"

	ucli "github.com/urfave/cli/v3"

	"routinecast/narration"
	"routinecast/studio"
)

func studioCommand(env *Env) *ucli.Command {
	return described("studio", &ucli.Command{
		Flags: []ucli.Flag{
			voiceFlag("recorded voice `DIR` (made if it does not exist; default ROUTINE-voice beside the routine)"),
			&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "synthesise the lines not recorded yet with `ENGINE` (builtin, the default; festival, flite, espeak-ng, say)"},
			&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`"},
			&ucli.StringFlag{Name: "addr", Usage: "listen on `HOST:PORT` (port 0 picks a free one)", Value: "127.0.0.1:0"},
			&ucli.BoolFlag{Name: "no-browser", Usage: "print the URL without opening a browser"},
			levelFlag(),
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runStudio(ctx, env, studioOptions{Routine: firstArg(c), Voice: c.String("voice"),
				Engine: c.String("engine"), EngineVoice: c.String("engine-voice"), Addr: c.String("addr"),
				NoBrowser: c.Bool("no-browser"), Level: c.String("level")})
		},
	})
}

type studioOptions struct {
	Routine, Voice      string
	Engine, EngineVoice string
	Addr                string
	NoBrowser           bool
	Level               string
}

func runStudio(ctx context.Context, env *Env, o studioOptions) error {
	level, err := parseLevel(o.Level)
	if err != nil {
		return err
	}
	if o.EngineVoice != "" && o.Engine == "" {
		return Usage(errors.New("studio: --engine-voice needs --engine"))
	}
	// Listen first: a bad address should not leave a new voice folder behind.
	ln, err := listen("studio", o.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	st, err := studio.New(studio.Options{Routine: o.Routine, Voice: o.Voice, Level: level, Log: env.Stderr,
		// Lines not recorded yet are heard in the built-in engine's voice
		// unless another engine is named.
		Engine: narration.EngineSpec{Name: cmp.Or(o.Engine, narration.Builtin), Voice: o.EngineVoice}})
	if err != nil {
		return Usage(err)
	}
	defer st.Close()
	if !studio.IsLoopback(ln.Addr()) {
		fmt.Fprintf(env.Stderr, "warning: the studio listens on %s, beyond this machine; anyone with the URL can change %s and %s\n", ln.Addr(), o.Routine, st.Voice())
	}
	url := st.URL(ln.Addr())
	fmt.Fprintf(env.Stdout, "studio for %s, recording into %s\n%s\n", o.Routine, st.Voice(), url)
	if !o.NoBrowser {
		if err := studio.OpenBrowser(url); err != nil {
			fmt.Fprintf(env.Stderr, "could not open a browser (%v): open the URL above\n", err)
		}
	}
	fmt.Fprintln(env.Stderr, "press Ctrl-C to stop")
	return st.Serve(ctx, ln)
}

// listen listens on the --addr a server command was given; an address that
// cannot be listened on (malformed, not this machine's, taken) is the
// user's to change: a usage error naming it. what names the command.
func listen(what, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, Usage(fmt.Errorf("%s: --addr %s: %w", what, addr, err))
	}
	return ln, nil
}

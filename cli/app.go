package cli

import (
	"context"
	"errors"
	"io"
	"strings"

	ucli "github.com/urfave/cli/v3"

	"routinecast/internal/atomicfile"
)

// Version is the program's version, printed by --version and stamped into outputs.
var Version = "0.1.0-dev"

// Env is what a command reads and writes besides its arguments, so tests can run
// commands in-process.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// commands are the program's commands, each made in its own cmd_*.go file,
// in the order help lists them.
func commands(env *Env) []*ucli.Command {
	return []*ucli.Command{
		exportCommand(env), handoutCommand(env), listCommand(env), newCommand(env), packCommand(env), pageCommand(env),
		playCommand(env), schemaCommand(env), showCommand(env), studioCommand(env), validateCommand(env), voiceCommand(env),
	}
}

// Run runs the command line args (args[0] is the program name).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}
	cmds := commands(env)
	app := described("routinecast", &ucli.Command{
		Version:        Version,
		Commands:       cmds,
		Writer:         stdout,
		ErrWriter:      stderr,
		Reader:         stdin,
		ExitErrHandler: func(context.Context, *ucli.Command, error) {},
		OnUsageError:   flagUsageError,
		Suggest:        true,
		// 'routinecast completion bash|zsh|fish|pwsh' prints a completion script.
		EnableShellCompletion: true,
	})
	setUsageErrors(cmds)
	if err := checkCommandPath(app, args); err != nil {
		return err
	}
	err := app.Run(ctx, args)
	if err != nil && isFlagError(err) {
		return Usage(err)
	}
	return err
}

// badInput marks an error caused by the user's input (a bad routine, an unknown
// flag value): the program exits with code 2.
type badInput struct{ err error }

func (b badInput) Error() string { return b.err.Error() }
func (b badInput) Unwrap() error { return b.err }

// Usage marks err as bad input or usage, which exits with code 2.
func Usage(err error) error {
	if err == nil {
		return nil
	}
	return badInput{err}
}

// silent is an error whose message has been shown to the user already.
type silent struct{ err error }

func (s silent) Error() string { return "" }
func (s silent) Unwrap() error { return s.err }

// Exit codes. Nothing else leaves the program: a speech engine's or other
// program's own exit status is a failure like any other (1).
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitBadInput    = 2
	ExitInterrupted = 130 // as shells report a program stopped by Ctrl-C
)

// ExitCode decides the process exit code: 0 ok, 1 failure, 2 bad input or
// usage, 130 interrupted (SIGINT or SIGTERM cancelled the command's context).
func ExitCode(err error) int {
	var b badInput
	var nr *atomicfile.NotRegularError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &b), errors.As(err, &nr): // an output path naming a device, FIFO or folder
		return ExitBadInput
	}
	return ExitFailure
}

// interrupted is a command's cancellation, with what the command leaves
// behind, which differs from command to command.
type interrupted struct {
	err  error
	kept string
}

func (i interrupted) Error() string { return i.err.Error() }
func (i interrupted) Unwrap() error { return i.err }

// Interrupted says what a command cancelled by ctx kept, e.g. "kept 37 clips
// rendered before the interrupt; run it again to finish". It returns err
// unchanged when err is not a cancellation.
func Interrupted(err error, kept string) error {
	if err == nil || !errors.Is(err, context.Canceled) {
		return err
	}
	return interrupted{err, kept}
}

// Outcome decides, once, what the program prints on standard error when a
// command ends with err (nothing for success or an error already shown), and
// its exit code.
func Outcome(err error) (msg string, code int) {
	code = ExitCode(err)
	switch {
	case err == nil:
		return "", code
	case code == ExitInterrupted:
		var i interrupted
		if errors.As(err, &i) && i.kept != "" {
			return "routinecast: interrupted; " + i.kept, code
		}
		return "routinecast: interrupted", code
	}
	if m := err.Error(); m != "" {
		return "routinecast: " + m, code
	}
	return "", code
}

// isFlagError recognises urfave/cli's parse errors for unknown commands and flags,
// which it returns as plain errors.
func isFlagError(err error) bool {
	var b badInput
	if errors.As(err, &b) {
		return false
	}
	msg := err.Error()
	for _, p := range []string{"flag provided but not defined", "No help topic for", "invalid value", "Required flag", "flag needs an argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

package cli

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v3"

	"routinecast/internal/typo"
)

// checkCommandPath finds an unknown command or subcommand in args before
// urfave/cli does, which would print a help topic error or the whole help:
// one line naming the nearest command is more use.
func checkCommandPath(root *ucli.Command, args []string) error {
	cmd := root
	path := root.Name
	if slices.Contains(args, "--generate-shell-completion") {
		return nil // the shell asks what may come next, typos and all
	}
	for _, a := range args[1:] {
		if strings.HasPrefix(a, "-") || len(cmd.Commands) == 0 {
			return nil
		}
		if a == "help" {
			continue // added by urfave/cli as it runs; its topic is a command path too
		}
		if cmd == root && a == "completion" {
			return nil // added by urfave/cli as it runs
		}
		next := cmd.Command(a)
		if next == nil {
			if cmd.Action != nil {
				return nil // a command with arguments of its own
			}
			var names []string
			for _, c := range cmd.Commands {
				names = append(names, c.Name)
			}
			prefix := strings.TrimPrefix(strings.TrimPrefix(path, root.Name), " ")
			if prefix != "" {
				prefix += " "
			}
			msg := fmt.Sprintf("unknown command %q", prefix+a)
			if s := ucli.SuggestCommand(cmd.Commands, a); s != "" {
				msg += fmt.Sprintf(": did you mean %s%s?", prefix, s)
			} else {
				msg += fmt.Sprintf(" (commands: %s; see '%s --help')", strings.Join(names, ", "), path)
			}
			return Usage(fmt.Errorf("%s", msg))
		}
		cmd = next
		path += " " + next.Name
	}
	return nil
}

// urfave/cli's suggesters (Command.Suggest) offer the nearest name however
// far it is; these offer one only when it is near enough to be a typo, and
// are the ones this package's own messages use, so that a command, a flag
// and a help topic are suggested alike.
func init() {
	ucli.SuggestCommand = func(cmds []*ucli.Command, provided string) string {
		var names []string
		for _, c := range cmds {
			names = append(names, c.Name)
		}
		return typo.Nearest(provided, names)
	}
	ucli.SuggestFlag = func(flags []ucli.Flag, provided string, _ bool) string {
		var names []string
		for _, f := range flags {
			for _, n := range f.Names() {
				if len(n) > 1 {
					names = append(names, n)
				}
			}
		}
		if s := typo.Nearest(provided, names); s != "" {
			return "--" + s
		}
		return ""
	}
}

// setUsageErrors makes every command report a flag error as one line with
// the nearest flag, instead of its help and the error.
func setUsageErrors(cmds []*ucli.Command) {
	for _, c := range cmds {
		c.OnUsageError = flagUsageError
		setUsageErrors(c.Commands)
	}
}

func flagUsageError(_ context.Context, cmd *ucli.Command, err error, _ bool) error {
	msg := err.Error()
	const undefined = "flag provided but not defined: "
	// main prefixes "routinecast: "; a subcommand names itself.
	where := ""
	if cmd.Root() != cmd {
		where = commandName(cmd) + ": "
	}
	if rest, ok := strings.CutPrefix(msg, undefined); ok {
		name := strings.TrimLeft(rest, "-")
		dashes := "--"
		if len(name) == 1 {
			dashes = "-"
		}
		msg = fmt.Sprintf("%sunknown flag %s%s", where, dashes, name)
		if s := ucli.SuggestFlag(flagsOf(cmd), name, true); s != "" {
			msg += fmt.Sprintf(": did you mean %s?", s)
		} else {
			msg += fmt.Sprintf(" (see '%s --help')", cmd.FullName())
		}
		return Usage(fmt.Errorf("%s", msg))
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		// A validator's message names its flag and says what to give.
		if rest := msg[len(m[0]):]; strings.HasPrefix(rest, "--"+m[2]+" ") {
			return Usage(fmt.Errorf("%s%s", where, rest))
		}
		return Usage(fmt.Errorf("%s%s", where, badFlagValue(cmd, m[2], m[1])))
	}
	if m := exclusive.FindStringSubmatch(msg); m != nil {
		return Usage(fmt.Errorf("%s--%s and --%s exclude each other: give one", where, m[1], m[2]))
	}
	if m := tooFewArgs.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[2])
		return Usage(fmt.Errorf("%s%s", where, argCountError(cmd, n)))
	}
	return Usage(fmt.Errorf("%s%w", where, err))
}

// invalidValue is the flag package's message for a value its flag cannot
// parse, which quotes Go's parser ("strconv.ParseFloat: ...").
var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -+([\w-]+): `)

// exclusive is urfave/cli's message for two flags of a
// MutuallyExclusiveFlags group given together.
var exclusive = regexp.MustCompile(`^option ([\w-]+) cannot be set along with option ([\w-]+)$`)

// badFlagValue says what a flag takes, in the words of its help: "--minutes
// ten: give a number of minutes (N), such as --minutes 10".
func badFlagValue(cmd *ucli.Command, name, value string) string {
	want, example := "a value", ""
	for _, f := range flagsOf(cmd) {
		if !slices.Contains(f.Names(), name) {
			continue
		}
		name = f.Names()[0]
		switch v := f.(type) {
		case *ucli.FloatFlag:
			want, example = "a number", fmt.Sprint(cmp.Or(v.Value, 10))
		case *ucli.IntFlag:
			want, example = "a whole number", fmt.Sprint(cmp.Or(v.Value, 4))
		case *ucli.UintFlag:
			want, example = "a whole number of 0 or more", fmt.Sprint(cmp.Or(v.Value, 4))
		case *ucli.DurationFlag:
			want, example = "a duration", "30s"
		}
		if u, ok := f.(interface{ GetUsage() string }); ok {
			if _, rest, ok := strings.Cut(u.GetUsage(), "`"); ok {
				if placeholder, after, ok := strings.Cut(rest, "`"); ok {
					if unit, _, _ := strings.Cut(strings.TrimSpace(after), " "); strings.TrimRight(unit, ",.;") == "minutes" || strings.TrimRight(unit, ",.;") == "seconds" {
						placeholder += " " + strings.TrimRight(unit, ",.;")
					}
					want += " (" + placeholder + ")"
				}
			}
		}
	}
	dashes := "--"
	if len(name) == 1 {
		dashes = "-"
	}
	msg := fmt.Sprintf("%s%s %s: give %s", dashes, name, shellWords(value), want)
	if example != "" {
		msg += fmt.Sprintf(", such as %s%s %s", dashes, name, example)
	}
	return msg
}

// commandName is the command's path without the program's: "pack build".
func commandName(c *ucli.Command) string {
	return strings.Join(c.Path()[1:], " ")
}

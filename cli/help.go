package cli

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v3"
)

// The commands' help is prose, kept in one text rather than spread through
// the code that wires the flags.
//
//go:embed help.txt
var helpText string

type helpEntry struct {
	args, usage, description string
}

// helpEntries are help.txt's entries by command path ("voice render").
var helpEntries = parseHelp(helpText)

func parseHelp(text string) map[string]helpEntry {
	m := map[string]helpEntry{}
	for _, part := range strings.Split(text, "\n== ")[1:] {
		head, body, _ := strings.Cut(part, "\n")
		usage, desc, _ := strings.Cut(strings.TrimSpace(body), "\n\n")
		var path []string
		words := strings.Fields(head)
		for len(words) > 0 && strings.ToLower(words[0]) == words[0] {
			path, words = append(path, words[0]), words[1:]
		}
		m[strings.Join(path, " ")] = helpEntry{args: strings.Join(words, " "), usage: usage, description: strings.TrimSpace(desc)}
	}
	return m
}

// described gives c the name, summary, arguments and description help.txt
// has for path. The usage's ARGS also become c's Arguments, which urfave/cli
// counts: one (ROUTINE) or one or more (ROUTINE...); checkArgs refuses what
// is left over.
func described(path string, c *ucli.Command) *ucli.Command {
	h, ok := helpEntries[path]
	if !ok {
		panic("cli: help.txt has no entry for " + path)
	}
	c.Name = path[strings.LastIndex(path, " ")+1:]
	c.Usage, c.ArgsUsage, c.Description = h.usage, h.args, h.description
	if name, many := strings.CutSuffix(h.args, "..."); h.args != "" {
		arg := &ucli.StringArgs{Name: name, Min: 1, Max: 1, UsageText: h.args}
		if many {
			arg.Max = -1
		}
		c.Arguments = []ucli.Argument{arg}
	}
	if action := c.Action; action != nil {
		c.Action = func(ctx context.Context, c *ucli.Command) error {
			if err := checkArgs(c); err != nil {
				return err
			}
			return action(ctx, c)
		}
	}
	return c
}

// given are the arguments c's Arguments took (help.txt's ROUTINE or
// FILE...); none for a command that takes none.
func given(c *ucli.Command) []string {
	if len(c.Arguments) == 0 {
		return nil
	}
	v, _ := c.Arguments[0].Get().([]string)
	return v
}

// firstArg is the one argument of a command that takes one.
func firstArg(c *ucli.Command) string {
	if v := given(c); len(v) > 0 {
		return v[0]
	}
	return ""
}

// checkArgs refuses arguments beyond those c takes: urfave/cli counts up to
// an Argument's Max and leaves the rest.
func checkArgs(c *ucli.Command) error {
	extra := c.NArg()
	if extra == 0 {
		return nil
	}
	name := commandName(c)
	if c.ArgsUsage == "" {
		return Usage(fmt.Errorf("%s: takes no arguments, got %d", name, extra))
	}
	return Usage(fmt.Errorf("%s: expected one %s, got %d arguments%s", name, c.ArgsUsage, len(given(c))+extra, extraArgHint(c)))
}

// tooFewArgs is urfave/cli's message for fewer arguments than an
// Argument's Min.
var tooFewArgs = regexp.MustCompile(`^sufficient count of arg (\S+) not provided, given (\d+) expected \d+$`)

// argCountError says, as checkArgs does, that c was given n arguments
// where it takes one, or at least one.
func argCountError(c *ucli.Command, n int) string {
	if strings.HasSuffix(c.ArgsUsage, "...") {
		return fmt.Sprintf("give at least one %s", strings.TrimSuffix(c.ArgsUsage, "..."))
	}
	return fmt.Sprintf("expected one %s, got %d arguments", c.ArgsUsage, n)
}

// extraArgHint suggests -o for an argument after the one taken that names an
// output file, for a command that writes one: "export knee.yaml x.mp3".
func extraArgHint(c *ucli.Command) string {
	i := slices.IndexFunc(c.Flags, func(f ucli.Flag) bool { return slices.Contains(f.Names(), "o") })
	if c.NArg() < 1 || i < 0 {
		return ""
	}
	u, _ := c.Flags[i].(interface{ GetUsage() string })
	takesDir := u != nil && strings.Contains(u.GetUsage(), "`DIR`")
	for _, a := range c.Args().Slice() { // those after the one it takes
		switch strings.ToLower(filepath.Ext(a)) {
		case ".mp3", ".wav", ".flac", ".pdf":
			return fmt.Sprintf(": to write %s, give -o %s", a, shellWords(a))
		}
		if st, err := os.Stat(a); err == nil && st.IsDir() && takesDir {
			return fmt.Sprintf(": to write into the folder %s, give -o %s", a, shellWords(a))
		}
	}
	return ""
}

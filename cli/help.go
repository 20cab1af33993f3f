package cli

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
// has for path, and checks the number of arguments its action is given
// against them, and that --level and --minutes do not come together.
func described(path string, c *ucli.Command) *ucli.Command {
	h, ok := helpEntries[path]
	if !ok {
		panic("cli: help.txt has no entry for " + path)
	}
	c.Name = path[strings.LastIndex(path, " ")+1:]
	c.Usage, c.ArgsUsage, c.Description = h.usage, h.args, h.description
	if action := c.Action; action != nil {
		c.Action = func(ctx context.Context, c *ucli.Command) error {
			if err := checkArgs(c, h.args); err != nil {
				return err
			}
			return action(ctx, c)
		}
	}
	return c
}

// checkArgs checks the arguments against the usage's ARGS: none, one
// (ROUTINE) or one or more (ROUTINE...).
func checkArgs(c *ucli.Command, args string) error {
	n, name := c.NArg(), commandName(c)
	switch {
	case args == "" && n > 0:
		return Usage(fmt.Errorf("%s: takes no arguments, got %d", name, n))
	case strings.HasSuffix(args, "...") && n == 0:
		return Usage(fmt.Errorf("%s: give at least one %s", name, strings.TrimSuffix(args, "...")))
	case args != "" && !strings.HasSuffix(args, "...") && n != 1:
		return Usage(fmt.Errorf("%s: expected one %s, got %d arguments%s", name, args, n, extraArgHint(c)))
	}
	if c.IsSet("level") && c.IsSet("minutes") {
		return Usage(errors.New("--level and --minutes exclude each other: give one"))
	}
	if c.IsSet("minutes") && !(c.Float("minutes") > 0) {
		// 0 would read as "not given", the routine's standard level.
		return Usage(fmt.Errorf("%s: --minutes %g: give the session's length in minutes, above 0, such as --minutes 10", name, c.Float("minutes")))
	}
	// Counts that 0 or less would quietly turn into their default, or into
	// nonsense.
	for _, f := range []struct{ name, want, example string }{
		{"bitrate", "an MP3 bit rate in kbit/s", "--bitrate 64"},
		{"jobs", "how many to do at once, 1 or more", "--jobs 2"},
	} {
		if c.IsSet(f.name) && c.Int(f.name) <= 0 {
			return Usage(fmt.Errorf("%s: --%s %d: give %s, such as %s", name, f.name, c.Int(f.name), f.want, f.example))
		}
	}
	return nil
}

// extraArgHint suggests -o for an argument after the first that names an
// output file, for a command that writes one: "export knee.yaml x.mp3".
func extraArgHint(c *ucli.Command) string {
	i := slices.IndexFunc(c.Flags, func(f ucli.Flag) bool { return slices.Contains(f.Names(), "o") })
	if c.NArg() < 2 || i < 0 {
		return ""
	}
	u, _ := c.Flags[i].(interface{ GetUsage() string })
	takesDir := u != nil && strings.Contains(u.GetUsage(), "`DIR`")
	for _, a := range c.Args().Slice()[1:] {
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

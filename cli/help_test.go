package cli

import (
	"slices"
	"testing"

	ucli "github.com/urfave/cli/v3"
)

// help.txt holds an entry for each command and nothing else: an entry whose
// command was renamed or removed would be help nobody sees.
func TestHelpEntriesMatchCommands(t *testing.T) {
	var paths []string
	var walk func(path string, c *ucli.Command)
	walk = func(path string, c *ucli.Command) {
		paths = append(paths, path)
		if c.Usage == "" {
			t.Errorf("%s has no summary", path)
		}
		for _, s := range c.Commands {
			walk(path+" "+s.Name, s)
		}
	}
	paths = append(paths, "routinecast")
	for _, c := range commands(&Env{}) {
		walk(c.Name, c)
	}
	for p := range helpEntries {
		if !slices.Contains(paths, p) {
			t.Errorf("help.txt has an entry for %q, which is no command", p)
		}
	}
	if len(helpEntries) != len(paths) {
		t.Errorf("help.txt has %d entries for %d commands", len(helpEntries), len(paths))
	}
}

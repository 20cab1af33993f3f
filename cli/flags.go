package cli

import (
	"fmt"

	ucli "github.com/urfave/cli/v3"
)

// levelFlag is the --level flag that commands working on one level share.
func levelFlag() *ucli.StringFlag {
	return &ucli.StringFlag{
		Name:    "level",
		Aliases: []string{"l"},
		Value:   "standard",
		Usage:   "`LEVEL` of the routine: gentle (low end of every range), standard (middle) or full (high end)",
	}
}

// voiceFlag is the --voice flag (-v), whose usage says what the command does
// with the voice.
func voiceFlag(usage string) *ucli.StringFlag {
	return &ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: usage}
}

// levelOrMinutes are --level and --minutes, which say the same thing two
// ways: a command takes one or the other.
func levelOrMinutes() ucli.MutuallyExclusiveFlags {
	return ucli.MutuallyExclusiveFlags{Flags: [][]ucli.Flag{{levelFlag()}, {minutesFlag()}}}
}

// flagsOf are c's flags: those of its exclusive groups (urfave/cli keeps
// them apart), then its own.
func flagsOf(c *ucli.Command) []ucli.Flag {
	var fs []ucli.Flag
	for _, g := range c.MutuallyExclusiveFlags {
		for _, alt := range g.Flags {
			fs = append(fs, alt...)
		}
	}
	return append(fs, c.Flags...)
}

// atLeastOne checks a count that 0 or less would quietly turn into its
// default, or into nonsense: "--jobs 0: give how many to do at once, 1 or
// more, such as --jobs 2".
func atLeastOne(name, want, example string) func(int) error {
	return func(n int) error {
		if n <= 0 {
			return fmt.Errorf("--%s %d: give %s, such as %s", name, n, want, example)
		}
		return nil
	}
}

// bitrateCheck and jobsCheck are the checks of --bitrate and --jobs.
var (
	bitrateCheck = atLeastOne("bitrate", "an MP3 bit rate in kbit/s", "--bitrate 64")
	jobsCheck    = atLeastOne("jobs", "how many to do at once, 1 or more", "--jobs 2")
)

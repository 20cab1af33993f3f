package cli

import ucli "github.com/urfave/cli/v3"

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

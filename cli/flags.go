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

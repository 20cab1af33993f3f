package cli

import (
	"context"
	_ "embed"
	"io"

	ucli "github.com/urfave/cli/v3"
)

//go:embed template.yaml
var routineTemplate string

func newCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "new",
		Usage: "print a commented template routine that shows every feature of the format",
		Description: `Examples:
  routinecast new > my-routine.yaml
  routinecast validate my-routine.yaml`,
		Action: func(ctx context.Context, c *ucli.Command) error {
			_, err := io.WriteString(env.Stdout, routineTemplate)
			return err
		},
	}
}

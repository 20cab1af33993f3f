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
	return described("new", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			_, err := io.WriteString(env.Stdout, routineTemplate)
			return err
		},
	})
}

package cli

import (
	"context"
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v3"

	"routinecast/internal/typo"
	"routinecast/pack"
	"routinecast/routines"
)

// schemas are the file formats 'schema' prints, by name.
var schemas = map[string]func() []byte{"routine": routines.Schema, "pack": pack.Schema}

func schemaCommand(env *Env) *ucli.Command {
	return described("schema", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runSchema(env, firstArg(c))
		},
	})
}

func runSchema(env *Env, kind string) error {
	schema, ok := schemas[kind]
	if !ok {
		msg := fmt.Sprintf("schema: %q is not a file format: give routine or pack", kind)
		if near := typo.Nearest(kind, []string{"routine", "pack"}); near != "" && !strings.EqualFold(near, kind) {
			msg = fmt.Sprintf("schema: %q is not a file format: did you mean %s?", kind, near)
		}
		return Usage(fmt.Errorf("%s", msg))
	}
	_, err := env.Stdout.Write(schema())
	return err
}

package cli

import (
	"context"
	"fmt"

	ucli "github.com/urfave/cli/v3"

	"routinecast/pack"
	"routinecast/routines"
)

func validateCommand(env *Env) *ucli.Command {
	return described("validate", &ucli.Command{
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runValidate(env, given(c))
		},
	})
}

func runValidate(env *Env, files []string) error {
	bad := 0
	for _, f := range files {
		if pack.IsPackFile(f) {
			fmt.Fprintf(env.Stderr, "%s: a pack file, not a routine: check it with 'routinecast pack validate %s'\n", f, shellWords(f))
			bad++
			continue
		}
		r, err := routines.Load(f)
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			bad++
			continue
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(env.Stderr, "warning: %v\n", w)
		}
	}
	if bad > 0 {
		// The problems are printed already: exit 2 with no further message.
		return Usage(silent{fmt.Errorf("%d of %d files invalid", bad, len(files))})
	}
	return nil
}

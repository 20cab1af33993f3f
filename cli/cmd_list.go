package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/job"
	"routinecast/mixer"
	"routinecast/pack"
	"routinecast/routines"
)

func listCommand(env *Env) *ucli.Command {
	return described("list", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "dir", Usage: "also list the routine files (*.yaml, *.yml) in `DIR`"},
			noRenderFlag(),
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runList(ctx, env, c.String("dir"), c.Bool("no-render"))
		},
	})
}

func runList(ctx context.Context, env *Env, dir string, noRender bool) error {
	lengthOf := func(r *routines.Routine) string { return lengthOf(ctx, env, r, noRender) }
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tTITLE\tSTANDARD LENGTH")
	for _, name := range routines.BuiltinNames() {
		r, err := routines.Builtin(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", name, r.Title, lengthOf(r))
	}
	if dir != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return Usage(fmt.Errorf("list: %w", err))
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
				continue
			}
			p := filepath.Join(dir, e.Name())
			if pack.IsPackFile(p) {
				fmt.Fprintf(w, "%s\t(a pack file: see 'routinecast pack validate %s')\t\n", p, shellWords(p))
				continue
			}
			r, err := routines.Load(p)
			if err != nil {
				fmt.Fprintf(w, "%s\t(invalid: run 'routinecast validate %s')\t\n", p, shellWords(p))
				continue
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", p, r.Title, lengthOf(r))
		}
	}
	return w.Flush()
}

// lengthOf is the standard level's length as show gives it: timed by the
// clips of the voice show would use (rendered first if need be), or with
// noRender estimated from the words where clips are missing ("about").
func lengthOf(ctx context.Context, env *Env, r *routines.Routine, noRender bool) string {
	jo := job.Options{Routine: r, Level: routines.Standard}
	if err := readyVoice(ctx, env, "list", voiceChoice{}, &jo, noRender); err != nil {
		return "?"
	}
	if j, err := job.Compile(jo); err == nil {
		return routines.FormatClock(j.Timeline.Duration())
	}
	s, err := job.Script(jo)
	if err != nil {
		return "?"
	}
	return "about " + routines.FormatClock(time.Duration(mixer.ScriptListing(s).TotalSeconds*float64(time.Second)))
}

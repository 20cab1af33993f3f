package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/handout"
	"routinecast/routines"
)

func handoutCommand(env *Env) *ucli.Command {
	return described("handout", &ucli.Command{
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the PDF to `FILE`"},
			levelFlag(), minutesFlag(),
			&ucli.StringFlag{Name: "paper", Value: "a4", Usage: "paper `SIZE`: a4 or letter"},
			&ucli.StringFlag{Name: "url", Usage: "print a QR code of `URL` (the episode or the feed)"},
			voiceFlag("time the session with the clips of voice `DIR` or cached voice name (default: the built-in voice)"),
			noRenderFlag(),
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runHandout(ctx, env, handoutOptions{NoRender: c.Bool("no-render"),
				Routine: c.Args().First(), Output: c.String("output"), Level: c.String("level"),
				Minutes: c.Float("minutes"), Paper: c.String("paper"), URL: c.String("url"), Voice: c.String("voice"),
			})
		},
	})
}

type handoutOptions struct {
	Routine, Output, Level, Paper, URL, Voice string
	Minutes                                   float64
	NoRender                                  bool
}

func runHandout(ctx context.Context, env *Env, o handoutOptions) error {
	if o.Output == "" {
		return Usage(errors.New("handout: give the output file with -o FILE.pdf"))
	}
	if st, err := os.Stat(o.Output); err == nil && st.IsDir() {
		return Usage(fmt.Errorf("handout: -o %s is a folder, and -o takes the file to write: give a name in it, such as -o %s", shellWords(o.Output), shellWords(filepath.Join(o.Output, routineStem(o.Routine)+".pdf"))))
	}
	paper, err := handout.ParsePaper(o.Paper)
	if err != nil {
		return Usage(err)
	}
	if o.URL != "" {
		if u, err := url.Parse(o.URL); err != nil || u.Scheme == "" || u.Host == "" {
			return Usage(fmt.Errorf("handout: --url %q is not an absolute URL", o.URL))
		}
	}
	jo, err := routineOptions(o.Routine, o.Level, o.Minutes)
	if err != nil {
		return err
	}
	if err := readyVoice(ctx, env, "handout", voiceChoice{Voice: o.Voice}, &jo, o.NoRender); err != nil {
		return err
	}
	ho, err := handout.Session(handout.Options{Paper: paper, URL: o.URL, Date: time.Now().UTC()}, jo)
	if err != nil {
		return exportError(err)
	}
	if err := handout.WriteFile(o.Output, ho); err != nil {
		return err
	}
	about := ""
	if ho.Estimated {
		about = "about "
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d exercises, %s%s\n", o.Output, jo.Routine.Title, len(jo.Routine.Exercises), about, routines.FormatClock(ho.Length))
	return nil
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/handout"
	"routinecast/routines"
)

func handoutCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "handout",
		Usage:     "print a routine as a PDF handout: safety notes, every exercise with its holds and reps, and a QR code to the audio",
		ArgsUsage: "ROUTINE",
		Description: `Writes a printable sheet (A4 or Letter) to hand or email to a patient or
listener: the title, the safety notes, every exercise in order with its setup
and steps, its holds, repetitions, sets and sides as numbers, the session's
length, the source's credit and, with --url, a QR code that opens the audio.

Examples:
  routinecast handout lower-back -o lower-back.pdf
  routinecast handout lower-back --minutes 28 --paper letter -o h.pdf --url https://example.org/back-care/`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the PDF to `FILE`"},
			levelFlag(), minutesFlag(),
			&ucli.StringFlag{Name: "paper", Value: "a4", Usage: "paper `SIZE`: a4 or letter"},
			&ucli.StringFlag{Name: "url", Usage: "print a QR code of `URL` (the episode or the feed)"},
			&ucli.StringFlag{Name: "voice", Usage: "time the session with the clips of voice `DIR` (default: the built-in voice)"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if err := routineArgs(c); err != nil {
				return err
			}
			return runHandout(env, handoutOptions{
				Routine: c.Args().First(), Output: c.String("output"), Level: c.String("level"),
				Minutes: c.Float("minutes"), Paper: c.String("paper"), URL: c.String("url"), Voice: c.String("voice"),
			})
		},
	}
}

type handoutOptions struct {
	Routine, Output, Level, Paper, URL, Voice string
	Minutes                                   float64
}

func runHandout(env *Env, o handoutOptions) error {
	if o.Output == "" {
		return Usage(errors.New("handout: give the output file with -o FILE.pdf"))
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
	jo.Voice = o.Voice
	ho, err := handout.Session(handout.Options{Paper: paper, URL: o.URL, Date: time.Now().UTC()}, jo)
	if err != nil {
		return exportError(err)
	}
	if err := handout.WriteFile(o.Output, ho); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d exercises, %s\n", o.Output, jo.Routine.Title, len(jo.Routine.Exercises), routines.FormatClock(ho.Length))
	return nil
}

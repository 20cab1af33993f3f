package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/handout"
	"routinecast/internal/textcheck"
	"routinecast/routines"
)

func handoutCommand(env *Env) *ucli.Command {
	return described("handout", &ucli.Command{
		MutuallyExclusiveFlags: []ucli.MutuallyExclusiveFlags{levelOrMinutes()},
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the PDF to `FILE`"},
			&ucli.StringFlag{Name: "paper", Value: "a4", Usage: "paper `SIZE`: a4 or letter"},
			&ucli.StringFlag{Name: "url", Usage: "print a QR code of `URL` (the episode or the feed)"},
			&ucli.StringFlag{Name: "patient", Usage: "name the patient `NAME` on the sheet"},
			&ucli.StringFlag{Name: "start", Usage: "start the log on `DATE` (YYYY-MM-DD; default today)"},
			&ucli.IntFlag{Name: "weeks", Usage: "print a log of `N` weeks (default: the routine's schedule, or 1)"},
			voiceFlag("time the session with the clips of voice `DIR` or cached voice name (default: the built-in voice)"),
			noRenderFlag(),
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			return runHandout(ctx, env, handoutOptions{NoRender: c.Bool("no-render"),
				Routine: firstArg(c), Output: c.String("output"), Level: c.String("level"),
				Minutes: c.Float("minutes"), Paper: c.String("paper"), URL: c.String("url"), Voice: c.String("voice"),
				Patient: c.String("patient"), Start: c.String("start"), Weeks: int(c.Int("weeks")),
			})
		},
	})
}

type handoutOptions struct {
	Routine, Output, Level, Paper, URL, Voice string
	Patient, Start                            string // Start: YYYY-MM-DD, "" for today
	Weeks                                     int    // 0: the routine's schedule
	Minutes                                   float64
	NoRender                                  bool
}

// maxPatient bounds the patient's name: it is printed on one line.
const maxPatient = 100

// programme checks the patient, start and weeks flags; now gives today.
func (o handoutOptions) programme(now time.Time) (handout.Options, error) {
	var ho handout.Options
	name := strings.Join(strings.Fields(o.Patient), " ")
	if err := textcheck.Check(name); err != nil {
		return ho, Usage(fmt.Errorf("handout: --patient: %w", err))
	}
	if len([]rune(name)) > maxPatient {
		return ho, Usage(fmt.Errorf("handout: --patient is %d characters; at most %d", len([]rune(name)), maxPatient))
	}
	ho.Patient = name
	ho.Start = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if o.Start != "" {
		d, err := time.Parse(time.DateOnly, o.Start)
		if err != nil {
			return ho, Usage(fmt.Errorf("handout: --start %q is not a date like 2027-01-04", o.Start))
		}
		ho.Start = d
	}
	if o.Weeks < 0 || o.Weeks > handout.MaxWeeks {
		return ho, Usage(fmt.Errorf("handout: --weeks %d: give 1 to %d weeks", o.Weeks, handout.MaxWeeks))
	}
	ho.Weeks = o.Weeks
	return ho, nil
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
		if err := routines.CheckWebURL(o.URL); err != nil {
			return Usage(fmt.Errorf("handout: --url: %w", err))
		}
	}
	ho, err := o.programme(time.Now())
	if err != nil {
		return err
	}
	ho.Paper, ho.URL, ho.Date = paper, o.URL, time.Now().UTC()
	jo, err := routineOptions(o.Routine, o.Level, o.Minutes)
	if err != nil {
		return err
	}
	if err := readyVoice(ctx, env, "handout", voiceChoice{Voice: o.Voice}, &jo, o.NoRender); err != nil {
		return err
	}
	ho, err = handout.Session(ho, jo)
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

package cli

import (
	"fmt"
	"math"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/job"
)

// minutesFlag is the --minutes flag of the commands that take --level.
func minutesFlag() *ucli.FloatFlag {
	return &ucli.FloatFlag{
		Name:  "minutes",
		Usage: "make the session last `N` minutes, stretching every hold, rest, repetition and breath in proportion within its range (instead of --level)",
		Validator: func(m float64) error {
			if !(m > 0) {
				// 0 would read as "not given", the routine's standard level.
				return fmt.Errorf("--minutes %g: give the session's length in minutes, above 0, such as --minutes 10", m)
			}
			return nil
		},
	}
}

// maxMinutes is past any routine's reach (routines.MaxTotal is shorter), and
// keeps the conversion to a duration far from overflowing.
const maxMinutes = 24 * 60

// routineOptions are the job options for the routine a command names, at
// the level or the length its flags give.
func routineOptions(routine, level string, minutes float64) (job.Options, error) {
	l, err := parseLevel(level)
	if err != nil {
		return job.Options{}, err
	}
	r, err := loadRoutine(routine)
	if err != nil {
		return job.Options{}, err
	}
	length, err := minutesLength(minutes)
	return job.Options{Routine: r, Level: l, Length: length}, err
}

// minutesLength checks a --minutes value; 0 means not given.
func minutesLength(m float64) (time.Duration, error) {
	if m == 0 {
		return 0, nil
	}
	if math.IsNaN(m) || m <= 0 || m > maxMinutes {
		return 0, Usage(fmt.Errorf("--minutes %g: give a number of minutes above 0", m))
	}
	return time.Duration(m * float64(time.Minute)).Round(time.Millisecond), nil
}

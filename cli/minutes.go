package cli

import (
	"errors"
	"fmt"
	"math"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/export"
	"routinecast/routines"
)

// minutesFlag is the --minutes flag of the commands that take --level.
func minutesFlag() *ucli.FloatFlag {
	return &ucli.FloatFlag{
		Name:  "minutes",
		Usage: "make the session last `N` minutes, stretching every hold, rest, repetition and breath in proportion within its range (instead of --level)",
	}
}

// maxMinutes is past any routine's reach (routines.MaxTotal is shorter), and
// keeps the conversion to a duration far from overflowing.
const maxMinutes = 24 * 60

// levelOrMinutes refuses --level and --minutes together: they say the same
// thing two ways.
func levelOrMinutes(c *ucli.Command) error {
	if c.IsSet("level") && c.IsSet("minutes") {
		return Usage(errors.New("--level and --minutes exclude each other: give one"))
	}
	return nil
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

// scriptAt expands a routine at a level, or stretched to a length, without a
// voice's clips: the fit then times every line from its words where the
// voice has no clip.
func scriptAt(eo export.Options) (*routines.Script, error) {
	if eo.Length == 0 {
		return routines.Expand(eo.Routine, eo.Level)
	}
	fit, err := export.Fit(eo, eo.Length)
	if err != nil {
		return nil, exportError(err)
	}
	s, err := routines.Expand(fit.Routine, routines.Standard)
	if err != nil {
		return nil, err
	}
	s.Level = fit.Label
	return s, nil
}

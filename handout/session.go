package handout

import (
	"errors"

	"routinecast/export"
)

// Session returns o showing the session eo plays: its routine (stretched,
// when eo.Length is set, as export.Fit does it, and labelled with its
// minutes) and its length, from the voice's clips, or from the words of the
// lines where the voice has no clip, since a sheet needs no sound.
func Session(o Options, eo export.Options) (Options, error) {
	o.Routine, o.Level = eo.Routine, eo.Level
	if eo.Length > 0 {
		fit, err := export.Fit(eo, eo.Length)
		if err != nil {
			return o, err
		}
		o.Routine, o.Label, o.Length = fit.Routine, string(fit.Label), fit.Length
		return o, nil
	}
	job, err := export.Compile(eo)
	var missing *export.MissingClipsError
	switch {
	case errors.As(err, &missing):
		s, err := export.Script(eo)
		if err != nil {
			return o, err
		}
		o.Length = s.Total()
	case err != nil:
		return o, err
	default:
		o.Length = job.Timeline.Duration()
	}
	return o, nil
}

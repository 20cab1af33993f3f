package handout

import (
	"errors"

	"routinecast/job"
)

// Session returns o showing the session jo plays: its routine (stretched,
// when jo.Length is set, as job.Fit does it, and labelled with its
// minutes) and its length, from the voice's clips (rendered first when
// jo.Render is set), or estimated from the words of the lines where the
// voice has no clip, since a sheet needs no sound.
func Session(o Options, jo job.Options) (Options, error) {
	o.Routine, o.Level = jo.Routine, jo.Level
	if jo.Length > 0 {
		fit, err := job.Fit(jo, jo.Length)
		if err != nil {
			return o, err
		}
		o.Routine, o.Label, o.Length = fit.Routine, string(fit.Label), fit.Length
		return o, nil
	}
	j, err := job.Compile(jo)
	var missing *job.MissingClipsError
	switch {
	case errors.As(err, &missing):
		s, err := job.Script(jo)
		if err != nil {
			return o, err
		}
		o.Length, o.Estimated = s.Total(), true
	case err != nil:
		return o, err
	default:
		o.Length = j.Timeline.Duration()
	}
	return o, nil
}

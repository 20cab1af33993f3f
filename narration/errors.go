package narration

import "errors"

// ErrBadInput marks the errors that come from what the user asked for (an
// unknown voice or engine, a folder that is no voice, a voice made with
// another engine), so that a program tells them from failures and gives
// them their exit code.
var ErrBadInput = errors.New("bad input")

// badInput keeps its error's message and adds ErrBadInput to its chain.
type badInput struct{ err error }

func (b badInput) Error() string   { return b.err.Error() }
func (b badInput) Unwrap() []error { return []error{b.err, ErrBadInput} }

func inputError(err error) error {
	if err == nil {
		return nil
	}
	return badInput{err}
}

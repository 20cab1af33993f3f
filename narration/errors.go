package narration

import (
	"context"
	"errors"
)

// ErrBadInput marks the errors of the voice tasks that come from what the
// user asked for (an unknown voice or engine, a bad option, recordings that
// match no line), so that a program tells them from failures.
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

// Stopped is the error of a task its context cancelled. Kept says what the
// task leaves behind, which differs from task to task ("kept 37 clips
// rendered before the interrupt in DIR; run it again to finish").
type Stopped struct {
	Err  error
	Kept string
}

func (s *Stopped) Error() string { return s.Err.Error() }
func (s *Stopped) Unwrap() error { return s.Err }

// stopped returns err as a *Stopped when it is a cancellation, unchanged
// otherwise.
func stopped(err error, kept string) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	return &Stopped{err, kept}
}

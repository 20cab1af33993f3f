package studio_test

import (
	"bytes"

	"github.com/gopxl/beep/v2"
)

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// decodedStream is a decoded file, as audio.Load takes it.
type decodedStream struct{ beep.StreamSeekCloser }

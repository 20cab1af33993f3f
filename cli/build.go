package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// buildID names this exact build of the program: the first hex digits of a
// hash of its executable. Pack builds count it among every episode's inputs,
// so any change to the program (the encoder, the mixer, the embedded voice)
// renders episodes again, even in development builds whose Version does not
// change. Go builds are reproducible, so the same source gives the same ID.
var buildID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

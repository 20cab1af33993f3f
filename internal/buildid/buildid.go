// Package buildid names this exact build of the program, so that what it
// renders can be told apart from what another build rendered: exports and
// pack builds count it among their inputs, and any change to the program
// (the encoder, the mixer, the embedded voice) makes their outputs out of
// date, even in development builds whose version does not change.
package buildid

import (
	"fmt"
	"hash/crc64"
	"io"
	"os"
	"sync"
)

// ID is a checksum of the running executable, or "unknown". Go builds are
// reproducible, so the same source gives the same ID. A CRC, not a
// cryptographic hash: it tells builds apart, and reads the 20 MB binary in
// a few milliseconds, which an up-to-date check needs.
var ID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := crc64.New(crc64.MakeTable(crc64.ECMA))
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%016x", h.Sum64())
})

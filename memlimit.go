package main

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the heap size the collector works to stay under unless
// GOMEMLIMIT says otherwise. An export holds its voice's clips (under 30 MB
// for the embedded voice) and a few megabytes a core of work; without a
// limit the collector lets the heap grow to twice what is live, and a
// render's peak memory doubles for nothing.
const memoryLimit = 48 << 20

func init() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

package main

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the heap size the collector works to stay under unless
// GOMEMLIMIT says otherwise. An export's live heap peaks near 29 MB on the
// built-in routine with every clip decoded afresh (the clips in use, a few
// megabytes a core of work); without a limit the collector lets the heap
// grow to twice what is live, and a render's peak memory doubles for
// nothing. It is a soft limit: work that needs more (a pack building
// several episodes at once) gets it, with more collections.
const memoryLimit = 40 << 20

func init() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

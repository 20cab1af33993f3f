//go:build race

package cli

import "time"

// raceSlack widens the play tests' latency limits under the race detector,
// which slows the quit path (the terminal's reader and the player's
// goroutines) by about a second: latencies are judged in the plain run, and
// the race run checks for races.
const raceSlack = 1500 * time.Millisecond

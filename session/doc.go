// Package session is the screen a routine plays behind: a bubbletea program
// that follows the player's position through mixer.Timeline.Where and shows
// what a person on the floor glances up for (the exercise, the side, the
// repetition and set, a large countdown, what comes next), answers the keys,
// and, off a terminal or on one that cannot move its cursor (TERM=dumb),
// prints plain lines instead. Play is the whole of live
// playback: it opens the audio output, compiles and renders the track as an
// export would, and runs the screen in front of it.
//
// The model's Update only decides: the player's commands and the plain lines
// are bubbletea commands, run one at a time in the order the keys came.
//
// The screen is a pure function of a position and the session's state
// (paused, volume, the last key's message), so tests render it at chosen
// timeline positions and sizes without a terminal.
package session

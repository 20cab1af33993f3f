// Package handout prints a routine on paper: a PDF sheet (A4 or Letter) a
// therapist can hand over or email, with the routine's title and safety
// notes, every exercise in order with its setup and steps, and its holds,
// repetitions, sets and sides as numbers ("Hold 10 s · 5 reps per side"),
// the session's length, the source's credit, and a QR code that opens the
// audio.
//
// [Session] times the sheet's session as the compiled job plays it, or from the
// words where the voice lacks clips. [Summarize] describes a routine's
// exercises at one level in the same words for other outputs, such as a
// pack's page.
package handout

// Package cli is routinecast's command line: the commands (urfave/cli/v3),
// their flags and help texts, what they print, and the exit code of every
// way a command ends.
//
// Each command lives in its own cmd_*.go file as a thin adapter, in
// restic's style: it parses its flags into an options struct, makes one call
// to the package that does the work (job, export, pack, session, studio,
// handout, narration, mixer), prints the outcome, and returns an error.
// The help texts are one file, help.txt, whose usage lines also become each
// command's urfave/cli Arguments, which count them (help.go); flags that
// exclude each other are MutuallyExclusiveFlags, and values that parse but
// make no sense are refused by the flags' Validators. Run builds the command
// list (app.go); Outcome turns the error into the one
// line main prints and the exit code, decided there once: 0 ok, 1 failure,
// 2 bad input or usage (an error marked by Usage), 130 interrupted. Usage
// errors, urfave/cli's included, are one line naming the nearest command or
// flag (usage.go).
//
// What belongs here is what only a command line has: flag names and their
// checks, the advice that names other commands, progress bars on standard
// error. Rendering, building, serving and laying out are the library's.
package cli

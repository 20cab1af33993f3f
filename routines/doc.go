// Package routines owns the routine model: the YAML routine format and its
// validation (every problem reported at once as file:line:col), the levels that
// resolve ranges such as "5-10s", the phrasebooks of generated phrases, the
// built-in routines, and Expand, which turns a routine into the Script of
// everything that will be said and heard.
//
// The package does no I/O besides reading routine files: downstream packages
// (narration, mixer) take a Script and never reach back.
package routines

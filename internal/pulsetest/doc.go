// Package pulsetest runs a private PulseAudio server for tests: a null sink
// whose monitor is recorded with parec, so that a test can play through the real
// audio stack and compare what came out with what went in. It also holds the
// signal comparisons those tests need (alignment by cross-correlation).
//
// The server runs in a temporary runtime directory with anonymous access and is
// stopped at test cleanup; it never touches the user's own sound server. Clients
// reach it through the variables of Server.Env.
package pulsetest

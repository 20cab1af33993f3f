// Package page writes the follow-along page of a compiled routine: one
// index.html that plays the routine's audio and shows, as it plays, where
// the listener is (exercise, side, repetition, the countdown, what comes
// next), read from the timeline's "where am I" data (mixer.Follow) by the
// audio's current time; and a service worker that keeps the page and its
// audio for use offline. The page uses nothing from elsewhere, so it works
// from a folder opened as file:// and from any static host.
package page

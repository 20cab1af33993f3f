// Package pack turns a list of routines into a podcast: one MP3 episode per
// routine (with ID3 chapters and the cover), a Podcasting 2.0 chapters file and
// a WebVTT transcript per episode, an RSS feed with the iTunes tags Apple
// requires, and an index.html page with a player and a chapter list for each
// episode.
//
// A pack is described by a YAML pack file, read by [Load]: strict, with every
// problem reported at once as file:line:col, like routine files. [Build]
// renders it into a folder:
//
//   - Episodes render in parallel, at most one per core.
//   - Builds are incremental: an episode whose inputs (the routine's text, the
//     level, the voice folder's files, the music file, the audio settings, the
//     tags and the program version) hash the same as in the previous build is
//     not rendered again; its files are carried over byte for byte. The hashes
//     live in a manifest, .routinecast-pack.json, in the folder.
//   - Builds are atomic: everything is written to a temporary folder beside the
//     target, which replaces the target only when all of it succeeded. A failed
//     or interrupted build leaves the previous folder exactly as it was.
//
// [Handler] serves a built folder over HTTP with byte ranges, rewriting the
// feed's published base URL to the address it is reached at, so that a phone on
// the same network can subscribe before the pack is published.
package pack

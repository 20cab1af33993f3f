// Package studio is a recording studio in the browser: an http.Handler that
// serves a local page (assets embedded, nothing fetched from elsewhere) where
// a person sees every line a routine says at every level, records each one in
// their own voice, edits the routine with validation as they type, and hears
// the whole session before downloading it as an MP3.
//
// Recordings are WAV files made in the browser from the microphone (Web
// Audio, so the server needs no Opus decoder). The server decodes and checks
// each take, then stores it through [narration.Import], the code behind
// 'routinecast voice import': trimmed of silence, brought to the voice's clip
// loudness, written atomically under the line's key. The take it replaces is
// kept in the voice folder's .studio-undo folder for one undo.
//
// The preview is a WAV stream rendered on demand from the same timeline an
// export makes, with byte ranges answered by seeking the renderer, so seeking
// in the page renders from there rather than from the start. The download is
// the export pipeline's MP3, loudness measured and normalised.
//
// # Security
//
// The studio writes to the routine file and the voice folder, so it listens
// on loopback unless told otherwise, and every request must carry the random
// token of the URL it printed (the first page load trades it for a cookie).
// Requests that change anything must also come from the studio's own page:
// their Sec-Fetch-Site is same-origin, or their Origin is the studio's. Uploads
// are bounded in size and length and are refused unless they decode as audio.
// No request names a path: lines are named by their clip key, and the only
// files written are the routine file and clips inside the voice folder.
package studio

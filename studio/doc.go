// Package studio is a recording studio in the browser: an http.Handler that
// serves a local page (assets embedded, nothing fetched from elsewhere) where
// a person sees every line a routine says at every level, records each one in
// their own voice, edits the routine with validation as they type, and hears
// the whole session before downloading it as an MP3.
//
// Recordings are WAV files made in the browser from the microphone (Web
// Audio, so the server needs no Opus decoder: an AudioWorklet the studio
// serves, or a script processor where the browser has no AudioWorklet). The server decodes and checks
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
// The routine file is saved as an editor that respects it would: the
// studio remembers the content (its SHA-256) and time of the file it read,
// and a save over a file someone else changed since is refused with 409
// Conflict, the page offering to reload the file or to overwrite it (a save
// that names the version now on disk). The file is written through a
// symlink to the file it names, keeping its mode, atomically (a temporary
// file beside the real one, renamed over it once whole). A take that
// replaces a clip keeps the clip's mode likewise; a clip is a regular file,
// as voices read them, so a link at a clip's name is replaced, not followed.
//
// # Security
//
// What the studio guards: the routine file and the voice folder, which it
// writes, and the recordings, which are a person's voice. Whom from: other
// web pages open in the same browser, and other programs on the same
// machine, including other servers on loopback that the browser visits.
// What it does not guard against: a program that runs as the same user
// (it can write the files directly), nor anyone who can read the printed
// URL, or the command line of the browser it starts, which carries it.
//
// The studio listens on loopback unless told otherwise. The URL it prints
// holds a random access token and a host name of its own,
// studio-RANDOM.localhost, which browsers resolve to loopback. The first load
// trades the token for a login: a cookie holding a random value that is not
// the token, HttpOnly and SameSite=Strict. Browsers scope cookies by host
// name but not by port, so a cookie set for 127.0.0.1 would go to every
// server on 127.0.0.1; the login's cookie is set for the studio's host name
// alone, which no other server is visited by, as only the holder of the URL
// knows it. On loopback the studio answers only requests that name its host
// (which also defeats DNS rebinding): at 127.0.0.1 or localhost, a request
// is refused with 421 and never learns the host name, save a load of the
// URL with the right token, which is sent on to the host name. The login
// cookie, presented at any other name, opens nothing.
//
// Requests that change anything must come from the studio's own page: they
// pass net/http's CrossOriginProtection (Sec-Fetch-Site, or Origin against
// Host), and one that shows neither header is refused too, as every browser
// sends one with a fetch that writes. Reads other than the page itself are
// refused when the browser says another site asked for them, so a page
// elsewhere cannot play the takes in an <audio> element. Uploads are bounded
// in size and length and are refused unless they decode as audio. No
// request names a path: lines are named by their clip key, exercises'
// pictures by the exercise's number (read as the handout and the pages read
// them, from inside the routine's folder), and the only files written are
// the routine file and clips inside the voice folder.
//
// With --addr beyond loopback the studio cannot know the names it is reached
// by, so it answers to any host name, and its cookie goes, as cookies do, to
// every port of that host: the command warns that anyone with the URL can
// change the files.
package studio

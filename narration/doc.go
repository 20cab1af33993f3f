// Package narration turns the lines of a script into audio clips: voices,
// offline speech engines, the clip cache, recording scripts for people who
// record their own voice, and the default voice built into the program.
//
// # Voices
//
// A [Voice] is a folder of clips and a manifest, voice.yaml (see [Manifest]):
// its name, its language, and how its clips are made, by a speech engine with
// its settings or recorded by a person. Each line finds its clip by a key
// (see [Key]) computed from the line's normalized text (see [Normalize]) and
// the voice's identity (the engine and its settings), so rewording one line
// asks for one new clip, and a voice made another way never mistakes an old
// clip for its own. Clip files are named "readable-words-KEY.ext"; only the
// "-KEY.ext" ending is read back, and the extension may be .wav, .flac or .mp3
// at any sample rate. [Voice.Clips] opens clips at the mixer's sample rate.
//
// # Engines
//
// [NewEngine] runs the engines built into the program, builtin (Flite, for
// English) and pico (SVOX Pico: es-ES, de-DE, fr-FR, it-IT), festival (text2wave, voice cmu_us_slt_arctic_hts from
// Debian's festvox-us-slt-hts), flite (slt, kal, kal16, awb, rms), espeak-ng
// (any of its voices and languages), macOS say, or any program through the
// command engine, whose argument list holds {out} (the WAV file to write) and
// optionally {text} (the line; without it the line goes to standard input).
// For piper:
//
//	engine:
//	  name: command
//	  command: [piper, --model, /opt/piper/en_US-lessac-medium.onnx, --output_file, "{out}"]
//
// Programs run with an argument list, never a shell, with a timeout, and
// with no shell quoting to get wrong: the line is one argument or standard
// input. A missing program is an error wrapping [ErrNotInstalled] that names
// the Debian package to install; [Engines] says which are installed.
//
// # Rendering
//
// [Render] makes the missing clips of a list of lines, in parallel, into the
// voice's folder, which works as a cache: a second run renders nothing. Each
// clip is trimmed of leading and trailing silence and brought to the voice's
// loudness (-20 LUFS unless voice.yaml says otherwise), measured as ITU-R
// BS.1770-4 integrated loudness (package audio/loudness). A clip shorter
// than one 400 ms gating block (a counted "one") is measured as a single
// block of its whole length: its mean K-weighted power, through the same
// gates, which is what the clip would measure if played over and over. Its
// peaks are then held to 13 dB over its loudness by a smooth look-ahead
// limiter, and its loudness restored: a track at -16 LUFS with its true peak
// at -1 dBTP has no room for more, and its limiter would otherwise cut short,
// peaky prompts ("Right knee.") to several dB under long lines. An engine
// that fails leaves no file behind, and the error names the line and the
// reason.
//
// # Recordings
//
// [NewSheet] lists every line of a routine with the file name its recording
// must have ([RecordingFile]), as CSV or as a printable Markdown page; [Import]
// takes a folder of recordings into a recorded voice, trimmed and normalized
// like rendered clips, and reports the missing and unexpected files.
//
// # Choosing a voice
//
// A voice is chosen as a user chooses it ([Choice], [EngineVoice],
// [LookupVoice], [BuiltinFor]); [Render] reports each clip through
// RenderOptions.Progress and [Voice.RemoveDamaged] each repair through a
// callback. The package prints nothing: the voice commands, their reports,
// advice and exit codes are the cli package's. Errors that come from what
// the user asked for wrap [ErrBadInput].
//
// # The default voice
//
// [Default] is the voice embedded in the program: every line of the built-in
// routines at every level, rendered with festival and cmu_us_slt_arctic_hts
// at rate 0.8 (an instructor's pace, about 160 words a minute), trimmed,
// cleared of DC and levelled as every rendered clip is, and stored losslessly
// as 16-bit mono FLAC at 22.05 kHz: the clips are festival's own samples up to
// 11 kHz (festival renders at 32 kHz; the band above holds nothing a listener
// hears under the voice, and at 32 kHz the voice would take 15 MB of the
// program's 60), and an export decodes them, mixes and encodes once. After a
// change to a built-in routine or to the phrasebook, regenerate it from the
// module root with
//
//	go run . voice render lower-back --all-levels --voice narration/defaultvoice --prune
//
// (voice.yaml in that folder fixes the engine and the clip format, flac at
// 22050 Hz; --prune deletes the clips no built-in line needs any more), then
// commit the folder. A clip already in the folder is kept: to render the
// whole voice again, delete its clips first.
package narration

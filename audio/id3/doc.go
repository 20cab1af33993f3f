// Package id3 writes ID3v2.4 tags for MP3 files — text frames, cover art and
// chapters — and reads ID3v2.3 and ID3v2.4 tags back.
//
// A tag is built from a [Tag] and placed in front of the MP3 audio: podcast
// apps and players read its title, artist, album, track, date, language,
// comment, cover picture and chapter list. Chapters follow the ID3v2 Chapter
// Frame Addendum: one CHAP frame per chapter (element IDs "chp0", "chp1", …)
// with the chapter's title in a TIT2 sub-frame and, when it has one, its
// picture in an APIC sub-frame (which players that show chapter art show
// while it plays), and one top-level, ordered CTOC frame ("toc") that lists
// them.
//
// What [Tag.Bytes] writes is deliberately plain, so that every reader copes:
// version 2.4.0, UTF-8 text (encoding $03), syncsafe tag and frame sizes, no
// unsynchronisation, no extended header, no footer (the go-mp3 decoder skips
// one leading tag, but not one that announces a footer) and no padding.
//
// [Read] parses what Bytes writes and, best effort, ID3v2.3 and ID3v2.4 tags
// from other tools. It stops exactly at the end of the tag, so the reader is
// then positioned at the audio.
package id3

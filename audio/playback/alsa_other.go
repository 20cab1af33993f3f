//go:build !(linux && (amd64 || arm64))

package playback

// quietALSA is only needed where oto may fall back to ALSA and purego can make
// a C callback.
func quietALSA() {}

//go:build linux && (amd64 || arm64)

package playback

import "github.com/ebitengine/purego"

// quietALSA stops libasound, and libjack under its jack plugin, from printing
// their own messages on stderr: where there is no sound card they print lines
// for each device oto tries, ahead of the one clear error this package
// returns. It loads the libraries oto's ALSA fallback would load (their
// handlers are global to them) and does nothing where they are missing.
func quietALSA() {
	setHandler("libasound.so.2", "snd_lib_error_set_handler", alsaSilent)
	setHandler("libjack.so.0", "jack_set_error_function", jackSilent)
	setHandler("libjack.so.0", "jack_set_info_function", jackSilent)
}

// setHandler calls the function name of library lib with the C function fn.
func setHandler(lib, name string, fn uintptr) {
	h, err := purego.Dlopen(lib, purego.RTLD_LAZY|purego.RTLD_GLOBAL)
	if err != nil {
		return
	}
	if _, err := purego.Dlsym(h, name); err != nil {
		return
	}
	var set func(handler uintptr)
	purego.RegisterLibFunc(&set, h, name)
	set(fn)
}

// alsaSilent is a C function for snd_lib_error_set_handler that ignores its
// arguments (file, line, function, errno, format, ...): the variadic rest is
// never read, which the C calling conventions of amd64 and arm64 allow.
var alsaSilent = purego.NewCallback(func(file, line, function, errno, format uintptr) uintptr { return 0 })

// jackSilent is a C function for jack_set_error_function and
// jack_set_info_function that ignores its message.
var jackSilent = purego.NewCallback(func(msg uintptr) uintptr { return 0 })

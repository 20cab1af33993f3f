package narration

import (
	"embed"
	"fmt"
	"io/fs"
)

// The default voice's clips, rendered by the command in the package
// documentation ("The default voice").
//
//go:embed defaultvoice
var defaultFiles embed.FS

// Default returns the voice built into the program, used when no other voice
// is given. It cannot take new clips.
func Default() *Voice {
	sub, err := fs.Sub(defaultFiles, "defaultvoice")
	if err != nil {
		panic(fmt.Sprintf("narration: embedded voice: %v", err))
	}
	v, err := openFS(sub, "embedded voice")
	if err != nil {
		// The embedded voice is checked by tests: failing here is a bug.
		panic(fmt.Sprintf("narration: embedded voice: %v", err))
	}
	return v
}

package narration_test

import (
	"fmt"

	"routinecast/narration"
)

func ExampleNormalize() {
	fmt.Println(narration.Normalize("Breathe in."))
	fmt.Println(narration.Normalize("  breathe IN! "))
	fmt.Println(narration.Normalize("Don’t round your back; keep it flat."))
	// Output:
	// breathe in
	// breathe in
	// dont round your back keep it flat
}

func ExampleRecordingFile() {
	// The file a person's recording of a line must be named, as the
	// recording script lists it. Lines that normalize alike share it.
	fmt.Println(narration.RecordingFile("Breathe in."))
	fmt.Println(narration.RecordingFile("breathe in!"))
	// Output:
	// breathe-in-2042aa65c62b698e.wav
	// breathe-in-2042aa65c62b698e.wav
}

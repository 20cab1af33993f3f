package flite

import (
	"context"
	"path/filepath"
	"testing"
)

func BenchmarkSpeak(b *testing.B) {
	out := filepath.Join(b.TempDir(), "x.wav")
	ctx := context.Background()
	Module(ctx)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Speak(ctx, "rms", "Tilt your right ear toward your right shoulder, for ten seconds.", out); err != nil {
			b.Fatal(err)
		}
	}
}

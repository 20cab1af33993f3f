package figure

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "write the built-in routines' pictures")

// folder is where the lower-back routine's pictures are committed.
var folder = filepath.Join("..", "..", "routines", "builtin", "lower-back")

// The committed pictures are the ones this package draws: byte for byte.
func TestLowerBackPicturesAreDrawnHere(t *testing.T) {
	for _, pic := range LowerBack {
		b, err := pic.PNG()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(folder, pic.Name+".png")
		if *update {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/figure -update)", err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from what the poses draw (run go test ./internal/figure -update)", path)
		}
	}
}

// Each picture is an opaque RGB image with a figure on it: enough ink to be
// seen, all of it inside the frame.
func TestPicturesShowAFigure(t *testing.T) {
	for _, pic := range LowerBack {
		b, err := pic.PNG()
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := img.(*image.RGBA); !ok {
			t.Errorf("%s: decodes as %T, want an opaque RGB image", pic.Name, img)
		}
		dark := 0
		for y := range Height {
			for x := range Width {
				if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray); g.Y < 80 {
					dark++
				}
			}
		}
		// A head alone is about 900 pixels; a whole figure several thousand.
		if dark < 3000 || dark > Width*Height/5 {
			t.Errorf("%s: %d dark pixels", pic.Name, dark)
		}
	}
}

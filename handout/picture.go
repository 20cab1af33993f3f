package handout

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // the picture formats a routine may give
	"image/png"
	"math"
)

// printWidth is the width in pixels a picture is printed from: pictureW
// millimetres at about 380 dpi, plenty for print and small for a PDF.
const printWidth = 600

// printable makes a picture ready for the sheet: decoded, laid on white (an
// alpha channel would be a second image in the PDF), and resampled to
// printWidth-n pixels wide. fpdf orders a PDF's images by width alone, and
// pictures of equal width in the order of a Go map; a width of its own per
// picture (n counts them) keeps the file the same bytes every time.
func printable(data []byte, n int) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	w := printWidth - n
	h := max(1, int(math.Round(float64(w)*float64(b.Dy())/float64(b.Dx()))))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	// Each pixel averages s x s samples of the source, enough to shrink a
	// large photo without aliasing.
	s := max(1, int(math.Ceil(float64(b.Dx())/float64(w))))
	fx, fy := float64(b.Dx())/float64(w), float64(b.Dy())/float64(h)
	for y := range h {
		for x := range w {
			var r, g, bl float64
			for j := range s {
				for i := range s {
					sx := b.Min.X + min(int((float64(x)+(float64(i)+0.5)/float64(s))*fx), b.Dx()-1)
					sy := b.Min.Y + min(int((float64(y)+(float64(j)+0.5)/float64(s))*fy), b.Dy()-1)
					c := color.NRGBAModel.Convert(src.At(sx, sy)).(color.NRGBA)
					a := float64(c.A) / 255
					r += float64(c.R)*a + 255*(1-a)
					g += float64(c.G)*a + 255*(1-a)
					bl += float64(c.B)*a + 255*(1-a)
				}
			}
			k := float64(s * s)
			dst.SetRGBA(x, y, color.RGBA{uint8(math.Round(r / k)), uint8(math.Round(g / k)), uint8(math.Round(bl / k)), 255})
		}
	}
	var out bytes.Buffer
	if err := png.Encode(&out, dst); err != nil {
		return nil, fmt.Errorf("encoding: %w", err)
	}
	return out.Bytes(), nil
}

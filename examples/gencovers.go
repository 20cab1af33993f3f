//go:build ignore

// gencovers draws the example packs' cover images (1400 x 1400 PNG, as Apple
// Podcasts requires at least; 8-bit RGB): simple shapes, no text, so no fonts are needed.
//
//	go run examples/gencovers.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 1400

// shape reports whether the point (x, y), in pixels, is inside the drawing.
type shape func(x, y float64) bool

// draw renders a shape in fg over bg with 4x4 supersampling, as an 8-bit RGB
// PNG (Apple Podcasts asks for RGB artwork, not a palette): 17 blends of the
// two colours give smooth edges, and the few colours keep the file small.
func draw(path string, bg, fg color.RGBA, in shape) {
	var blend [17]color.RGBA
	for i := range blend {
		t := float64(i) / 16
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a)*(1-t) + float64(b)*t)) }
		blend[i] = color.RGBA{mix(bg.R, fg.R), mix(bg.G, fg.G), mix(bg.B, fg.B), 255}
	}
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			n := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					if in(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			img.SetRGBA(x, y, blend[n])
		}
	}
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// roundedBox is inside the square of half-side h centred on (cx, cy), with
// corners rounded by radius r.
func roundedBox(x, y, cx, cy, h, r float64) bool {
	dx, dy := math.Abs(x-cx)-(h-r), math.Abs(y-cy)-(h-r)
	if dx <= 0 || dy <= 0 {
		return math.Abs(x-cx) <= h && math.Abs(y-cy) <= h
	}
	return dx*dx+dy*dy <= r*r
}

func main() {
	// Back care: a column of nine vertebrae along a gentle S-curve.
	draw("examples/back-care-cover.png", color.RGBA{0x1f, 0x6f, 0x5c, 255}, color.RGBA{0xfb, 0xf6, 0xe9, 255}, func(x, y float64) bool {
		for i := 0; i < 9; i++ {
			cy := 230 + float64(i)*118
			cx := size/2 + 90*math.Sin(float64(i)/8*2*math.Pi)
			w := 150 + 12*float64(i)
			dx, dy := (x-cx)/w, (y-cy)/46
			if dx*dx+dy*dy <= 1 {
				return true
			}
		}
		return false
	})
	// Box breathing: the outline of a rounded square, and a dot travelling on it.
	draw("examples/box-breathing-cover.png", color.RGBA{0x24, 0x3b, 0x6b, 255}, color.RGBA{0xe8, 0xf1, 0xff, 255}, func(x, y float64) bool {
		const c = size / 2
		outer := roundedBox(x, y, c, c, 430, 120)
		inner := roundedBox(x, y, c, c, 380, 70)
		dx, dy := x-(c+405), y-(c-200)
		return (outer && !inner) || dx*dx+dy*dy <= 75*75
	})
}

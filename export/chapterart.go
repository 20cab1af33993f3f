package export

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"routinecast/job"
	"routinecast/routines"
)

// MaxChapterPicture is the most bytes of an exercise's picture an MP3's
// chapter carries. A larger picture is scaled down (and encoded as JPEG if
// PNG will not fit) until it fits. Players show chapter art a few
// centimetres wide, and every byte goes into the tag in front of the audio
// (ffmpeg's reading of chapters makes id3 pad a picture to up to twice this
// size; see id3.Chapter), so a lower-back export's nine figures add about a
// hundred kilobytes.
const MaxChapterPicture = 16<<10 - 1

// chapterPictures returns, for each of the timeline's chapters, the picture
// its exercise shows, bounded by MaxChapterPicture, or nil for the
// chapters without one (intro, warm-up, outro, exercises without a picture).
func chapterPictures(j *job.Job) ([][]byte, error) {
	tl, r := j.Timeline, j.Options.Routine
	out := make([][]byte, len(tl.Chapters))
	// Compile makes one chapter of each chapter cue, in order; the cue's
	// place tells its exercise.
	k := 0
	for _, c := range tl.Cues {
		if c.Kind != routines.Chapter {
			continue
		}
		if k >= len(out) {
			break
		}
		if n := c.Place.Exercise; n >= 1 && n <= len(r.Exercises) {
			im := exerciseImage(&r.Exercises[n-1])
			if im != nil {
				b, err := im.Read()
				if err != nil {
					return nil, fmt.Errorf("export: %w", err)
				}
				if out[k], err = fitPicture(b); err != nil {
					return nil, fmt.Errorf("export: picture %s of %q: %w", im.Name, r.Exercises[n-1].Name, err)
				}
			}
		}
		k++
	}
	return out, nil
}

// exerciseImage is the picture an exercise's chapter shows: its own, or
// else its variant's.
func exerciseImage(ex *routines.Exercise) *routines.Image {
	if ex.Image == nil && ex.Variant != nil {
		return ex.Variant.Image
	}
	return ex.Image
}

// fitPicture returns a PNG or JPEG of at most MaxChapterPicture bytes: b
// itself when it fits, else the picture scaled down.
func fitPicture(b []byte) ([]byte, error) {
	if len(b) <= MaxChapterPicture {
		return b, nil
	}
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	// A large photo is averaged down once; smaller tries start from that.
	first := shrink(img, 640)
	for side := 640; side >= 16; side = side * 3 / 4 {
		small := shrink(first, side)
		var buf bytes.Buffer
		if format == "png" {
			// Drawings stay sharp as PNG when they fit.
			if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, small); err != nil {
				return nil, err
			}
			if buf.Len() <= MaxChapterPicture {
				return buf.Bytes(), nil
			}
			buf.Reset()
		}
		if err := jpeg.Encode(&buf, onWhite(small), &jpeg.Options{Quality: 80}); err != nil {
			return nil, err
		}
		if buf.Len() <= MaxChapterPicture {
			return buf.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("cannot be made as small as %d bytes", MaxChapterPicture)
}

// shrink scales img down to at most side pixels a side (never up),
// averaging the source pixels each target pixel covers.
func shrink(img image.Image, side int) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := min(1, float64(side)/float64(max(w, h)))
	tw, th := max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))
	out := image.NewNRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		y0, y1 := y*h/th, max((y+1)*h/th, y*h/th+1)
		for x := range tw {
			x0, x1 := x*w/tw, max((x+1)*w/tw, x*w/tw+1)
			var r, g, bl, a, n uint64
			for sy := y0; sy < y1; sy++ {
				for sx := x0; sx < x1; sx++ {
					c := color.NRGBA64Model.Convert(img.At(b.Min.X+sx, b.Min.Y+sy)).(color.NRGBA64)
					// Weighted by alpha, so transparent pixels lend no colour.
					r += uint64(c.R) * uint64(c.A)
					g += uint64(c.G) * uint64(c.A)
					bl += uint64(c.B) * uint64(c.A)
					a += uint64(c.A)
					n++
				}
			}
			if a == 0 {
				continue
			}
			out.SetNRGBA(x, y, color.NRGBA{uint8(r / a >> 8), uint8(g / a >> 8), uint8(bl / a >> 8), uint8(a / n >> 8)})
		}
	}
	return out
}

// onWhite flattens transparency onto white, which JPEG cannot hold.
func onWhite(img *image.NRGBA) *image.RGBA {
	out := image.NewRGBA(img.Bounds())
	for i := range out.Pix {
		out.Pix[i] = 0xFF
	}
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			a := uint32(c.A)
			blend := func(v uint8) uint8 { return uint8((uint32(v)*a + 255*(255-a)) / 255) }
			out.SetRGBA(x, y, color.RGBA{blend(c.R), blend(c.G), blend(c.B), 255})
		}
	}
	return out
}

package pack

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
)

// rgbCover returns the cover as the feed publishes it: a PNG or JPEG in RGB
// (or RGBA) colour. Apple Podcasts asks for RGB artwork; a palette, grey or
// CMYK image is converted (a PNG stays PNG, losslessly; a JPEG is encoded
// again at high quality). An RGB image is returned as it is, byte for byte.
func rgbCover(data []byte) ([]byte, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("pack: cover: %w", err)
	}
	switch cfg.ColorModel {
	case color.RGBAModel, color.NRGBAModel, color.RGBA64Model, color.NRGBA64Model, color.YCbCrModel:
		return data, nil
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("pack: cover: %w", err)
	}
	rgb := image.NewNRGBA(img.Bounds())
	draw.Draw(rgb, rgb.Bounds(), img, img.Bounds().Min, draw.Src)
	var b bytes.Buffer
	switch format {
	case "png":
		// Opaque, it is written as 8-bit RGB; with transparency, RGBA.
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		err = enc.Encode(&b, rgb)
	default:
		err = jpeg.Encode(&b, rgb, &jpeg.Options{Quality: 92})
	}
	if err != nil {
		return nil, fmt.Errorf("pack: cover: %w", err)
	}
	return b.Bytes(), nil
}

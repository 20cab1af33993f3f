// Package figure draws the built-in routines' exercise pictures: a stick
// figure in a pose, with the furniture it uses and an arrow for the movement,
// rasterised with anti-aliased strokes into a small opaque PNG. The pictures
// are routinecast's own; the poses are data in this package, and the PNGs
// committed beside the built-in routines are regenerated and checked by its
// test.
package figure

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// Size of a picture, in pixels.
const (
	Width  = 480
	Height = 320
	floorY = 300
)

// P is a point in pixels, y down.
type P struct{ X, Y float64 }

// Limbs are one side's arm and leg; the shoulder is the neck.
type Limbs struct{ Elbow, Hand, Knee, Ankle, Toe P }

// Pose is a figure's joints. Spine, when set, bends the back through it (a
// quadratic curve from hip to neck).
type Pose struct {
	Head, Neck, Hip P
	Spine           *P
	Near, Far       Limbs
}

// Prop is furniture a pose uses.
type Prop int

// The props.
const (
	Floor Prop = iota
	Mat
	Chair
	Counter
)

// Arrow is a movement: a curve from From through Via to To, with a head at To.
type Arrow struct{ From, Via, To P }

// Picture is everything on one picture.
type Picture struct {
	Name   string // file name, without .png
	Props  []Prop
	Pose   Pose
	Arrows []Arrow
}

var (
	paper  = color.NRGBA{255, 255, 255, 255}
	ink    = color.NRGBA{34, 40, 46, 255}
	far    = color.NRGBA{150, 158, 165, 255}
	prop   = color.NRGBA{190, 178, 160, 255}
	accent = color.NRGBA{31, 111, 92, 255}
)

// Strokes, as radii in pixels.
const (
	torsoR = 8.0
	limbR  = 5.5
	headR  = 17.0
	propR  = 2.5
	arrowR = 2.2
)

// PNG draws the picture and encodes it.
func (pic Picture) PNG() ([]byte, error) {
	c := newCanvas()
	for _, p := range pic.Props {
		c.prop(p)
	}
	c.limbs(pic.Pose, pic.Pose.Far, far)
	c.torso(pic.Pose)
	c.limbs(pic.Pose, pic.Pose.Near, ink)
	for _, a := range pic.Arrows {
		c.arrow(a)
	}
	var b bytes.Buffer
	// The image is opaque, so it is written as 8-bit RGB, without an alpha
	// channel that a PDF would carry as a second image.
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, c.img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type canvas struct{ img *image.NRGBA }

func newCanvas() *canvas {
	img := image.NewNRGBA(image.Rect(0, 0, Width, Height))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = paper.R, paper.G, paper.B, 255
	}
	return &canvas{img}
}

// segment strokes a line from a to b with round ends of radius r, its edge
// anti-aliased by the distance of each pixel's centre to the line.
func (c *canvas) segment(a, b P, r float64, col color.NRGBA) {
	x0, x1 := int(math.Floor(min(a.X, b.X)-r-1)), int(math.Ceil(max(a.X, b.X)+r+1))
	y0, y1 := int(math.Floor(min(a.Y, b.Y)-r-1)), int(math.Ceil(max(a.Y, b.Y)+r+1))
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	for y := max(y0, 0); y <= min(y1, Height-1); y++ {
		for x := max(x0, 0); x <= min(x1, Width-1); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-a.X)*dx+(py-a.Y)*dy)/l2))
			}
			d := math.Hypot(px-(a.X+t*dx), py-(a.Y+t*dy))
			c.blend(x, y, r+0.5-d, col)
		}
	}
}

// blend lays col over pixel (x, y) with coverage cov, clamped to 0..1.
func (c *canvas) blend(x, y int, cov float64, col color.NRGBA) {
	if cov <= 0 {
		return
	}
	cov = min(cov, 1)
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+3 : i+3]
	for k, v := range [3]uint8{col.R, col.G, col.B} {
		p[k] = uint8(math.Round(float64(p[k])*(1-cov) + float64(v)*cov))
	}
}

func (c *canvas) disc(o P, r float64, col color.NRGBA) { c.segment(o, o, r, col) }

// curve strokes the quadratic curve from a through control point k to b.
func (c *canvas) curve(a, k, b P, r float64, col color.NRGBA) []P {
	const n = 24
	pts := make([]P, n+1)
	for i := range pts {
		t := float64(i) / n
		u := 1 - t
		pts[i] = P{u*u*a.X + 2*u*t*k.X + t*t*b.X, u*u*a.Y + 2*u*t*k.Y + t*t*b.Y}
	}
	// Overlapping strokes would blend their edges twice; draw the curve
	// as one shape by taking, per pixel, the nearest segment.
	c.polyline(pts, r, col)
	return pts
}

// polyline strokes connected segments as one shape.
func (c *canvas) polyline(pts []P, r float64, col color.NRGBA) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	for y := max(int(y0-r-1), 0); y <= min(int(y1+r+1), Height-1); y++ {
		for x := max(int(x0-r-1), 0); x <= min(int(x1+r+1), Width-1); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Inf(1)
			for i := 1; i < len(pts); i++ {
				d = min(d, distance(P{px, py}, pts[i-1], pts[i]))
			}
			c.blend(x, y, r+0.5-d, col)
		}
	}
}

func distance(p, a, b P) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	}
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

func (c *canvas) limbs(p Pose, l Limbs, col color.NRGBA) {
	c.polyline([]P{p.Neck, l.Elbow, l.Hand}, limbR, col)
	c.polyline([]P{p.Hip, l.Knee, l.Ankle, l.Toe}, limbR, col)
}

func (c *canvas) torso(p Pose) {
	if p.Spine != nil {
		c.curve(p.Hip, *p.Spine, p.Neck, torsoR, ink)
	} else {
		c.segment(p.Hip, p.Neck, torsoR, ink)
	}
	c.segment(p.Neck, p.Head, limbR, ink)
	c.disc(p.Head, headR, ink)
}

func (c *canvas) prop(p Prop) {
	switch p {
	case Floor:
		c.segment(P{20, floorY + 4}, P{460, floorY + 4}, propR, prop)
	case Mat:
		c.segment(P{40, floorY + 4}, P{440, floorY + 4}, 4, prop)
	case Chair:
		c.polyline([]P{{145, 120}, {145, 302}}, propR+1, prop)             // back and back leg
		c.polyline([]P{{145, 214}, {238, 214}, {238, 302}}, propR+1, prop) // seat and front leg
	case Counter:
		c.polyline([]P{{360, 302}, {360, 172}, {462, 172}}, propR+1, prop)
		c.segment(P{352, 172}, P{462, 172}, 4, prop) // the top
	}
}

// arrow strokes a movement and its head.
func (c *canvas) arrow(a Arrow) {
	pts := c.curve(a.From, a.Via, a.To, arrowR, accent)
	end, before := pts[len(pts)-1], pts[len(pts)-4]
	ang := math.Atan2(end.Y-before.Y, end.X-before.X)
	for _, s := range []float64{-1, 1} {
		t := ang + math.Pi - s*0.5
		c.segment(end, P{end.X + 13*math.Cos(t), end.Y + 13*math.Sin(t)}, arrowR, accent)
	}
}

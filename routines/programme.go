package routines

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the picture formats DecodeConfig must know
	_ "image/png"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"routinecast/internal/safefile"
	"routinecast/internal/yamlfile"
)

// The fields a therapist's home programme adds to a routine: a picture per
// exercise, how often to do the routine, whom to call, and notes for the
// patient. They are read here and only rendered elsewhere.

// Limits of an exercise's picture: it is printed a few centimetres wide and
// shown beside the exercise on a page, so a few megabytes and a few thousand
// pixels a side are plenty.
const (
	MaxImageBytes = 5 << 20
	MaxImageSide  = 4000
)

// Limits of a schedule.
const (
	MaxTimesPerDay = 10
	MaxWeeks       = 52
)

// Image is an exercise's picture: a PNG or JPEG beside the routine file (or
// in a folder below it).
type Image struct {
	// Name is the path as the routine gives it, relative to its folder.
	Name          string
	Type          string // "image/png" or "image/jpeg"
	Width, Height int
	// dir is the routine file's folder; "" for a built-in routine, whose
	// pictures are embedded.
	dir string
}

// Ext is the picture's file extension for its type: ".png" or ".jpg".
func (im *Image) Ext() string {
	if im.Type == "image/jpeg" {
		return ".jpg"
	}
	return ".png"
}

// Read returns the picture's bytes, read again from the routine's folder
// under the same bounds that validated it.
func (im *Image) Read() ([]byte, error) {
	f, err := openImage(im.dir, im.Name)
	if err != nil {
		return nil, fmt.Errorf("routines: image %s: %w", im.Name, safefile.Short(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxImageBytes+1))
	if err == nil && len(b) > MaxImageBytes {
		err = safefile.ErrTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("routines: image %s: %w", im.Name, err)
	}
	return b, nil
}

// openImage opens a picture inside dir, or among the built-in routines'
// files when dir is "". os.Root keeps a symbolic link from leading out.
func openImage(dir, name string) (fs.File, error) {
	if dir == "" {
		f, err := builtinFiles.Open(path.Join("builtin", name))
		if err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.Size() > MaxImageBytes {
			f.Close()
			return nil, fmt.Errorf("%w: %d bytes, at most %d", safefile.ErrTooLarge, st.Size(), MaxImageBytes)
		}
		return f, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return safefile.OpenIn(root, filepath.FromSlash(name), MaxImageBytes)
}

// Schedule says how often to do the routine. Any part may be left out.
type Schedule struct {
	TimesPerDay int // sessions a day; 0 when not given
	DaysPerWeek int // 0 when not given
	Weeks       int // how many weeks; 0 when not given
	Text        string
}

// IsZero reports a routine that gives no schedule.
func (s Schedule) IsZero() bool { return s == Schedule{} }

// Contact is whom the patient calls with questions: a clinic or therapist.
type Contact struct {
	Name, Phone, Email, Web string
}

// IsZero reports a routine that gives no contact.
func (c Contact) IsZero() bool { return c == Contact{} }

// programme reads the top-level schedule, contact and notes.
func (d *decoder) programme(r *Routine, fields map[string]ast.Node) {
	if n := fields["schedule"]; n != nil {
		r.Schedule = d.schedule(n)
	}
	if n := fields["contact"]; n != nil {
		r.Contact = d.contact(n)
	}
	r.Notes = d.lines(fields["notes"], "notes", templateVars{})
}

func (d *decoder) schedule(n ast.Node) Schedule {
	if _, ok := yamlfile.Scalar(n); ok {
		return Schedule{Text: d.plain(n, "schedule")}
	}
	m, ok := d.Mapping(n, "schedule")
	if !ok {
		return Schedule{}
	}
	f := d.Fields(m, "schedule", scheduleDef.Keys())
	s := Schedule{Text: d.plain(f["text"], "schedule.text")}
	s.TimesPerDay = d.whole(f["times_per_day"], "schedule.times_per_day", MaxTimesPerDay)
	s.DaysPerWeek = d.whole(f["days_per_week"], "schedule.days_per_week", 7)
	s.Weeks = d.whole(f["weeks"], "schedule.weeks", MaxWeeks)
	if s.IsZero() && len(m.Values) == 0 {
		d.Errorf(yamlfile.PosOf(n), "schedule: give times_per_day, days_per_week, weeks or text")
	}
	return s
}

// whole reads an optional whole number from 1 to max.
func (d *decoder) whole(n ast.Node, what string, max int) int {
	if n == nil {
		return 0
	}
	r, ok := d.count(n, what, max, nil, Range{})
	if ok && r.Min != r.Max {
		d.Errorf(yamlfile.PosOf(n), "%s: give one number, not a range", what)
		return 0
	}
	return r.Min
}

func (d *decoder) contact(n ast.Node) Contact {
	if _, ok := yamlfile.Scalar(n); ok {
		return Contact{Name: d.plain(n, "contact")}
	}
	m, ok := d.Mapping(n, "contact")
	if !ok {
		return Contact{}
	}
	f := d.Fields(m, "contact", contactDef.Keys())
	c := Contact{
		Name:  d.plain(f["name"], "contact.name"),
		Phone: d.plain(f["phone"], "contact.phone"),
		Email: d.plain(f["email"], "contact.email"),
		Web:   d.plain(f["web"], "contact.web"),
	}
	if c.Phone != "" && (strings.Trim(c.Phone, "0123456789+-()./ ") != "" || !strings.ContainsAny(c.Phone, "0123456789")) {
		d.Errorf(yamlfile.PosOf(f["phone"]), "contact.phone: %q is not a phone number (digits, spaces and + - ( ) . /)", c.Phone)
		c.Phone = ""
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			d.Errorf(yamlfile.PosOf(f["email"]), "contact.email: %q is not an email address like clinic@example.org", c.Email)
			c.Email = ""
		}
	}
	// The address becomes a link on the sheet and the page: a web address only.
	if c.Web != "" {
		if err := CheckWebURL(c.Web); err != nil {
			d.Errorf(yamlfile.PosOf(f["web"]), "contact.web: %v", err)
			c.Web = ""
		}
	}
	if c.IsZero() && len(m.Values) == 0 {
		d.Errorf(yamlfile.PosOf(n), "contact: give name, phone, email or web")
	}
	return c
}

// image checks an exercise's picture: a PNG or JPEG of bounded size inside
// the routine's folder.
func (d *decoder) image(n ast.Node, what string) *Image {
	if n == nil {
		return nil
	}
	what += ": image"
	rel := d.plain(n, what)
	if rel == "" {
		if _, ok := yamlfile.Scalar(n); ok {
			d.Errorf(yamlfile.PosOf(n), "%s: empty path", what)
		}
		return nil
	}
	at := yamlfile.PosOf(n)
	if !filepath.IsLocal(filepath.FromSlash(rel)) || strings.Contains(rel, `\`) {
		d.Errorf(at, "%s: %s is outside the routine's folder; keep pictures beside the routine file or in a folder below it", what, rel)
		return nil
	}
	dir := ""
	if !strings.HasPrefix(d.File, "builtin:") {
		dir = filepath.Dir(d.File)
	}
	f, err := openImage(dir, path.Clean(filepath.ToSlash(rel)))
	var nr *safefile.NotRegularError
	switch {
	case errors.As(err, &nr):
		d.Errorf(at, "%s: %s is %s, not an image", what, rel, nr.What)
		return nil
	case errors.Is(err, safefile.ErrTooLarge):
		d.Errorf(at, "%s: %s is larger than %d MB; a picture for a sheet or a page needs far less", what, rel, MaxImageBytes>>20)
		return nil
	case errors.Is(err, fs.ErrNotExist):
		d.Errorf(at, "%s: %s: no such file beside the routine", what, rel)
		return nil
	case err != nil && strings.Contains(err.Error(), "escapes"):
		d.Errorf(at, "%s: %s leads outside the routine's folder (through a symbolic link)", what, rel)
		return nil
	case err != nil:
		d.Errorf(at, "%s: %v", what, safefile.Short(err))
		return nil
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		d.Errorf(at, "%s: %s is not a PNG or JPEG image", what, rel)
		return nil
	}
	im := &Image{Name: path.Clean(filepath.ToSlash(rel)), Width: cfg.Width, Height: cfg.Height, dir: dir}
	switch format {
	case "png":
		im.Type = "image/png"
	case "jpeg":
		im.Type = "image/jpeg"
	default:
		d.Errorf(at, "%s: %s is a %s image; give a PNG or JPEG", what, rel, format)
		return nil
	}
	if im.Width < 1 || im.Height < 1 || im.Width > MaxImageSide || im.Height > MaxImageSide {
		d.Errorf(at, "%s: %s is %dx%d pixels; at most %d a side", what, rel, im.Width, im.Height, MaxImageSide)
		return nil
	}
	return im
}

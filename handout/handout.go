package handout

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"routinecast/internal/atomicfile"
	"routinecast/internal/qr"
	"routinecast/routines"
)

// Paper is a sheet size.
type Paper string

// The paper sizes a handout is laid out for.
const (
	A4     Paper = "a4"
	Letter Paper = "letter"
)

// ErrPaper is returned for a paper size other than A4 or Letter.
var ErrPaper = errors.New("handout: unknown paper size")

// ParsePaper checks a paper size's name.
func ParsePaper(s string) (Paper, error) {
	switch p := Paper(strings.ToLower(s)); p {
	case A4, Letter:
		return p, nil
	}
	return "", fmt.Errorf("%w %q: use a4 or letter", ErrPaper, s)
}

// Options say what a handout shows.
type Options struct {
	Routine *routines.Routine
	// Level picks each range's value; a stretched routine reads the same at any.
	Level routines.Level
	// Label names the level on the sheet: "standard", or "28 min".
	Label string
	// Length is the session's length; 0 leaves it out.
	Length time.Duration
	// Estimated says Length was estimated from the words of lines that have
	// no clip; the sheet then says "about".
	Estimated bool
	// Paper is A4 (the default) or Letter.
	Paper Paper
	// URL, if set, is printed with a QR code that opens it: the episode or feed.
	URL string
	// Patient, if set, is named on the sheet as the person the programme is for.
	Patient string
	// Start is the log's first day; the zero time prints no dates and no log.
	Start time.Time
	// Weeks is how many weeks the log covers; 0 takes the routine's
	// schedule, or one week.
	Weeks int
	// Date is the PDF's creation date; the zero time leaves the file the
	// same bytes for the same options.
	Date time.Time
}

// Layout, in millimetres and points.
const (
	margin   = 18.0
	qrSize   = 34.0
	bodySize = 10.5
	lineH    = 5.0
)

// ink colours: text, headings' accent, muted.
var (
	accent = [3]int{31, 111, 92}
	muted  = [3]int{91, 103, 112}
)

// Write lays out the handout and writes the PDF to w.
func Write(w io.Writer, o Options) error {
	if o.Routine == nil {
		return errors.New("handout: no routine")
	}
	if o.Level == "" {
		o.Level = routines.Standard
	}
	if o.Label == "" {
		o.Label = string(o.Level)
	}
	size := "A4"
	switch o.Paper {
	case "", A4:
	case Letter:
		size = "Letter"
	default:
		return fmt.Errorf("%w %q: use a4 or letter", ErrPaper, o.Paper)
	}
	pdf := fpdf.New("P", "mm", size, "")
	h := &sheet{pdf: pdf, tr: pdf.UnicodeTranslatorFromDescriptor(""), o: o, w: words{routines.LabelsFor(o.Routine.Language)}}
	if err := h.layout(); err != nil {
		return err
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("handout: %w", err)
	}
	return nil
}

// WriteFile writes the handout to path, whole or not at all.
func WriteFile(path string, o Options) error {
	var b bytes.Buffer
	if err := Write(&b, o); err != nil {
		return err
	}
	if err := atomicfile.Write(path, func(f *atomicfile.File) error { _, err := f.Write(b.Bytes()); return err }); err != nil {
		return fmt.Errorf("handout: %w", err)
	}
	return nil
}

type sheet struct {
	pdf *fpdf.Fpdf
	tr  func(string) string // UTF-8 to the core fonts' code page
	o   Options
	w   words // the sheet's words, in the routine's language
	// pictures counts the pictures placed so far.
	pictures int
}

func (h *sheet) layout() error {
	pdf, o, r := h.pdf, h.o, h.o.Routine
	date := o.Date
	if date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(r.Title, true)
	pdf.SetCreator("routinecast", true)
	pdf.SetLang(cmp.Or(r.Language, "en"))
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		h.color(muted)
		pdf.CellFormat(0, 4, h.tr(h.w.Label("footer", "title", r.Title, "page", fmt.Sprint(pdf.PageNo()), "pages", "{nb}")), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	textW := pageW - 2*margin

	// The head: title, level and length, description; the QR code beside it.
	headW := textW
	top := pdf.GetY()
	if o.URL != "" {
		headW = textW - qrSize - 6
		if err := h.qr(pageW-margin-qrSize, top, qrSize); err != nil {
			return err
		}
	}
	pdf.SetFont("Helvetica", "B", 20)
	h.color([3]int{0, 0, 0})
	pdf.MultiCell(headW, 8.5, h.tr(r.Title), "", "L", false)
	pdf.Ln(1)
	pdf.SetFont("Helvetica", "B", 11)
	h.color(accent)
	line := h.w.Label("level_fitted", "level", o.Label)
	if isLevel(o.Label) {
		line = h.w.Label("level", "level", h.w.Label(o.Label))
	}
	if o.Length > 0 {
		key := "session_length"
		if o.Estimated {
			key = "session_length_about"
		}
		line += " · " + h.w.Label(key, "length", routines.FormatClock(o.Length))
	}
	pdf.MultiCell(headW, 6, h.tr(line), "", "L", false)
	h.programmeHead(headW)
	if r.Description != "" {
		pdf.Ln(1)
		h.body(headW, r.Description)
	}
	if o.URL != "" {
		pdf.Ln(1)
		pdf.SetFont("Helvetica", "", 9)
		h.color(muted)
		pdf.MultiCell(headW, 4.5, h.tr(h.w.Label("listen", "url", o.URL)), "", "L", false)
		if y := top + qrSize + 4; pdf.GetY() < y {
			pdf.SetY(y)
		}
	}

	sum := Summarize(r, o.Level)
	if len(r.Cautions) > 0 {
		h.heading(h.w.Label("safety"))
		for _, c := range r.Cautions {
			h.bullet(textW, c)
		}
	}
	if w := sum.Warmup; w != nil {
		h.heading(h.w.Label("warmup_heading", "title", w.Title))
		h.dose(textW, w.Dose)
		for _, l := range w.Say {
			h.body(textW, l)
		}
	}
	if len(sum.Exercises) > 0 {
		h.heading(h.w.Label("exercises"))
		for i, ex := range sum.Exercises {
			if err := h.exercise(textW, fmt.Sprintf("%d. %s", i+1, ex.Name), ex, &r.Exercises[i]); err != nil {
				return err
			}
		}
	}
	if len(r.Outro) > 0 {
		h.heading(h.w.Label("afterwards"))
		for _, l := range r.Outro {
			h.body(textW, l)
		}
	}
	h.notesAndContact(textW)
	if credit := sourceCredit(r); credit != "" {
		h.heading(h.w.Label("source"))
		pdf.SetFont("Helvetica", "", 9)
		h.color(muted)
		pdf.MultiCell(textW, 4.5, h.tr(credit), "", "L", false)
	}
	h.log(textW)
	return pdf.Error()
}

// exercise prints an exercise as Summarize reads it, with the picture of
// the routine's exercise rx beside its text.
func (h *sheet) exercise(w float64, title string, ex Exercise, rx *routines.Exercise) error {
	pdf := h.pdf
	// Keep a heading with the start of its exercise, and with its picture.
	need := 40.0
	if rx.Image != nil {
		need = max(need, pictureW+12)
	}
	if _, pageH := pdf.GetPageSize(); pdf.GetY() > pageH-margin-need {
		pdf.AddPage()
	}
	pdf.Ln(2)
	top, page := pdf.GetY(), pdf.PageNo()
	picH, err := h.picture(w, rx.Image)
	if err != nil {
		return err
	}
	full := w
	if picH > 0 {
		w -= pictureW + 5
	}
	pdf.SetFont("Helvetica", "B", 12.5)
	h.color([3]int{0, 0, 0})
	pdf.MultiCell(w, 6, h.tr(title), "", "L", false)
	h.dose(w, ex.Dose)
	if len(ex.Setup) > 0 {
		h.label(h.w.Label("set_up"))
		for _, s := range ex.Setup {
			h.bullet(w, s)
		}
	}
	if len(ex.Steps) > 0 {
		h.label(h.w.Label("each_time"))
		for i, s := range ex.Steps {
			h.numbered(w, i+1, s)
		}
	}
	for _, n := range ex.Notes {
		pdf.SetFont("Helvetica", "I", bodySize)
		h.color(muted)
		pdf.MultiCell(w, lineH, h.tr(n), "", "L", false)
	}
	if y := top + picH + 1; picH > 0 && pdf.PageNo() == page && pdf.GetY() < y {
		pdf.SetY(y)
	}
	if ex.Variant != nil && rx.Variant != nil {
		return h.exercise(full, h.w.Label("variant", "name", ex.Variant.Name), *ex.Variant, rx.Variant)
	}
	return nil
}

func (h *sheet) heading(s string) {
	pdf := h.pdf
	if _, pageH := pdf.GetPageSize(); pdf.GetY() > pageH-margin-30 {
		pdf.AddPage()
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 14)
	h.color(accent)
	pdf.MultiCell(0, 7, h.tr(s), "", "L", false)
	pdf.Ln(0.5)
}

func (h *sheet) label(s string) {
	h.pdf.SetFont("Helvetica", "B", 9.5)
	h.color(muted)
	h.pdf.MultiCell(0, 5, h.tr(s), "", "L", false)
}

func (h *sheet) dose(w float64, s string) {
	h.pdf.SetFont("Helvetica", "B", 11)
	h.color(accent)
	h.pdf.MultiCell(w, 5.5, h.tr(s), "", "L", false)
}

func (h *sheet) body(w float64, s string) {
	h.pdf.SetFont("Helvetica", "", bodySize)
	h.color([3]int{0, 0, 0})
	h.pdf.MultiCell(w, lineH, h.tr(s), "", "L", false)
}

func (h *sheet) bullet(w float64, s string) { h.hanging(w, "•", s) }

func (h *sheet) numbered(w float64, n int, s string) { h.hanging(w, fmt.Sprintf("%d.", n), s) }

// hanging writes a paragraph after a mark, its lines indented past it.
func (h *sheet) hanging(w float64, mark, s string) {
	pdf := h.pdf
	const indent = 6.0
	pdf.SetFont("Helvetica", "", bodySize)
	h.color([3]int{0, 0, 0})
	x := pdf.GetX()
	pdf.CellFormat(indent, lineH, h.tr(mark), "", 0, "L", false, 0, "")
	pdf.MultiCell(w-indent, lineH, h.tr(s), "", "L", false)
	pdf.SetX(x)
}

func (h *sheet) color(c [3]int) { h.pdf.SetTextColor(c[0], c[1], c[2]) }

// qr draws a QR code of the URL as filled squares, a run of dark modules at a
// time, so it prints sharp at any size.
func (h *sheet) qr(x, y, size float64) error {
	n, runs, err := qr.Runs(h.o.URL)
	if err != nil {
		return fmt.Errorf("handout: QR code of %q: %w", h.o.URL, err)
	}
	cell := size / float64(n)
	h.pdf.SetFillColor(0, 0, 0)
	for _, r := range runs {
		h.pdf.Rect(x+float64(r.Col)*cell, y+float64(r.Row)*cell, float64(r.Len)*cell, cell, "F")
	}
	h.pdf.LinkString(x, y, size, size, h.o.URL)
	return nil
}

// sourceCredit is the source's title, author, publisher and address, and the
// routine's credits.
func sourceCredit(r *routines.Routine) string {
	var parts []string
	s := r.Source
	if s.Title != "" {
		parts = append(parts, "\""+s.Title+"\"")
	}
	for _, p := range []string{s.Author, s.Publisher, s.URL} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	out := strings.Join(parts, ", ")
	if out != "" {
		out += "."
	}
	if r.Credits != "" {
		if out != "" {
			out += " "
		}
		out += r.Credits
	}
	return out
}

func isLevel(s string) bool {
	for _, l := range routines.Levels() {
		if string(l) == s {
			return true
		}
	}
	return false
}

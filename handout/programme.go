package handout

import (
	"bytes"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"routinecast/routines"
)

// The parts of the sheet that make it a home programme: the patient and the
// dates, how often, the pictures, the notes, whom to call, and a log to tick.

// Log grid, in millimetres: one row a day, a box per session, a pain scale.
const (
	pictureW = 40.0 // an exercise's picture, at most this wide and tall
	dateW    = 34.0
	boxW     = 7.0 // a session's tick box
	painW    = 6.2 // one number of the 0-10 pain scale
	rowH     = 7.0
)

// MaxWeeks is the longest log a sheet prints: a schedule's longest.
const MaxWeeks = routines.MaxWeeks

// ScheduleWords says a schedule as a person would, in a language: "Twice a
// day, 5 days a week, for 3 weeks." followed by its text.
func ScheduleWords(s routines.Schedule, language string) string {
	w := words{routines.LabelsFor(language)}
	var parts []string
	switch n := s.TimesPerDay; {
	case n == 1:
		parts = append(parts, w.Label("once_a_day"))
	case n == 2:
		parts = append(parts, w.Label("twice_a_day"))
	case n > 2:
		parts = append(parts, w.Count("times_a_day", n))
	}
	switch n := s.DaysPerWeek; {
	case n == 7:
		parts = append(parts, w.Label("every_day"))
	case n > 0:
		parts = append(parts, w.Count("days_a_week", n))
	}
	if n := s.Weeks; n > 0 {
		parts = append(parts, w.Count("for_weeks", n))
	}
	out := ""
	if len(parts) > 0 {
		out = routines.Capitalize(strings.Join(parts, ", ")) + "."
	}
	if s.Text != "" {
		out = strings.TrimSpace(out + " " + s.Text)
	}
	return out
}

// weeks is how many weeks the log covers.
func (o Options) weeks() int {
	switch {
	case o.Weeks > 0:
		return o.Weeks
	case o.Routine.Schedule.Weeks > 0:
		return o.Routine.Schedule.Weeks
	}
	return 1
}

// programmeHead prints the patient, the dates and the schedule under the title.
func (h *sheet) programmeHead(w float64) {
	o, pdf := h.o, h.pdf
	var lines []string
	if o.Patient != "" {
		lines = append(lines, h.w.Label("patient", "patient", o.Patient))
	}
	if !o.Start.IsZero() {
		end := o.Start.AddDate(0, 0, 7*o.weeks()-1)
		lines = append(lines, h.w.Label("from_to", "start", h.w.Date(o.Start, true), "end", h.w.Date(end, true), "weeks", h.w.Count("weeks", o.weeks())))
	}
	if len(lines) > 0 {
		pdf.Ln(1)
		pdf.SetFont("Helvetica", "B", 11)
		h.color([3]int{0, 0, 0})
		for _, l := range lines {
			pdf.MultiCell(w, 5.5, h.tr(l), "", "L", false)
		}
	}
	if s := ScheduleWords(o.Routine.Schedule, o.Routine.Language); s != "" {
		pdf.SetFont("Helvetica", "", bodySize)
		h.color([3]int{0, 0, 0})
		pdf.MultiCell(w, lineH, h.tr(h.w.Label("how_often")+" "+s), "", "L", false)
	}
}

// picture draws an exercise's picture at the right edge of a column of width
// w, from the current line, and returns its height (0 for none).
func (h *sheet) picture(w float64, im *routines.Image) (float64, error) {
	if im == nil {
		return 0, nil
	}
	pdf := h.pdf
	name := "img:" + im.Name
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	if pdf.GetImageInfo(name) == nil {
		b, err := im.Read()
		if err != nil {
			return 0, fmt.Errorf("handout: %w", err)
		}
		if b, err = printable(b, h.pictures); err != nil {
			return 0, fmt.Errorf("handout: picture %s: %w", im.Name, err)
		}
		h.pictures++
		pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(b))
		if err := pdf.Error(); err != nil {
			return 0, fmt.Errorf("handout: picture %s: %w", im.Name, err)
		}
	}
	pw, ph := pictureW, pictureW*float64(im.Height)/float64(im.Width)
	if ph > pictureW {
		pw, ph = pictureW*float64(im.Width)/float64(im.Height), pictureW
	}
	x := pdf.GetX() + w - pw
	pdf.ImageOptions(name, x, pdf.GetY(), pw, ph, false, opt, 0, "")
	return ph, nil
}

// notesAndContact prints the notes for the patient and whom to call.
func (h *sheet) notesAndContact(w float64) {
	r, pdf := h.o.Routine, h.pdf
	if len(r.Notes) > 0 {
		h.heading(h.w.Label("notes"))
		for _, n := range r.Notes {
			h.bullet(w, n)
		}
	}
	c := r.Contact
	if c.IsZero() {
		return
	}
	h.heading(h.w.Label("contact"))
	for _, l := range []struct{ key, text string }{{"", c.Name}, {"phone", c.Phone}, {"email", c.Email}, {"web", c.Web}} {
		if l.text == "" {
			continue
		}
		line := l.text
		if l.key != "" {
			line = h.w.Label(l.key, l.key, l.text)
		}
		h.body(w, line)
		switch l.key {
		case "email":
			pdf.LinkString(pdf.GetX(), pdf.GetY()-lineH, w, lineH, "mailto:"+c.Email)
		case "web":
			pdf.LinkString(pdf.GetX(), pdf.GetY()-lineH, w, lineH, c.Web)
		}
	}
}

// log prints the adherence log on a page of its own: a row a day from the
// start for the weeks, a box per session and a 0-10 pain scale.
func (h *sheet) log(w float64) {
	o, pdf := h.o, h.pdf
	if o.Start.IsZero() {
		return
	}
	per := max(o.Routine.Schedule.TimesPerDay, 1)
	pdf.AddPage()
	h.heading(h.w.Label("log"))
	how := h.w.Label("log_tick")
	if per > 1 {
		how = h.w.Label("log_tick_times", "n", fmt.Sprint(per))
	}
	h.body(w, how+" "+h.w.Label("log_pain"))
	pdf.Ln(2)
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		h.color(muted)
		x := pdf.GetX()
		pdf.CellFormat(dateW, rowH, h.tr(h.w.Label("log_day")), "", 0, "L", false, 0, "")
		pdf.CellFormat(float64(per)*boxW+4, rowH, h.tr(h.w.Label("log_done")), "", 0, "L", false, 0, "")
		pdf.CellFormat(11*painW, rowH, h.tr(h.w.Label("log_pain_scale")), "", 1, "L", false, 0, "")
		pdf.SetX(x)
	}
	header()
	_, pageH := pdf.GetPageSize()
	pdf.SetDrawColor(60, 60, 60)
	pdf.SetLineWidth(0.3)
	for i := range 7 * o.weeks() {
		if pdf.GetY()+rowH > pageH-margin-6 {
			pdf.AddPage()
			header()
		}
		d := o.Start.AddDate(0, 0, i)
		x, y := pdf.GetX(), pdf.GetY()
		if i > 0 && i%7 == 0 { // a rule between weeks
			pdf.Line(x, y-0.3, x+w, y-0.3)
		}
		pdf.SetFont("Helvetica", "", 9.5)
		h.color([3]int{0, 0, 0})
		pdf.CellFormat(dateW, rowH, h.tr(h.w.Date(d, false)), "", 0, "L", false, 0, "")
		bx := x + dateW
		for s := range per {
			pdf.Rect(bx+float64(s)*boxW+0.6, y+0.6, boxW-1.2, rowH-1.2, "D")
		}
		px := bx + float64(per)*boxW + 4
		pdf.SetFont("Helvetica", "", 8)
		h.color(muted)
		for p := range 11 {
			pdf.Rect(px+float64(p)*painW, y+0.6, painW, rowH-1.2, "D")
			pdf.SetXY(px+float64(p)*painW, y)
			pdf.CellFormat(painW, rowH, fmt.Sprint(p), "", 0, "C", false, 0, "")
		}
		pdf.SetXY(x, y+rowH)
	}
}

package handout

import (
	"bytes"
	"compress/zlib"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

// streams inflates every Flate stream of a PDF: the pages' drawing operators.
func streams(t *testing.T, pdf []byte) string {
	t.Helper()
	var all strings.Builder
	for rest := pdf; ; {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		if z, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(z)
			all.Write(b)
		}
		rest = rest[j+len("endstream"):]
	}
	return all.String()
}

var rectOp = regexp.MustCompile(`(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re S`)

// boxes counts the stroked rectangles of a width in millimetres, drawn on
// the pages: the log's cells.
func boxes(content string, wmm float64) int {
	n := 0
	for _, m := range rectOp.FindAllStringSubmatch(content, -1) {
		w, _ := strconv.ParseFloat(m[3], 64)
		if math.Abs(w-wmm*72/25.4) < 0.02 {
			n++
		}
	}
	return n
}

// imagesListed counts the images pdfimages finds placed on the pages of a
// PDF, and the distinct image objects among them.
func imagesListed(t *testing.T, pdf []byte) (placed, objects int) {
	t.Helper()
	out := testtool.Output(t, testtool.Require(t, "pdfimages"), "-list", writePDF(t, pdf))
	ids := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if f := strings.Fields(l); len(f) > 10 && f[2] == "image" {
			placed++
			ids[f[10]] = true
		}
	}
	return placed, len(ids)
}

// The done-when: the built-in lower-back routine for Ann Example,
// from 4 January 2027 for two weeks.
func TestProgrammeSheet(t *testing.T) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	if err := Write(&b, Options{Routine: r, Patient: "Ann Example", Start: start, Weeks: 2, URL: "https://example.org/back-care/"}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	want := []string{"Home programme for Ann Example", "From Mon 4 Jan 2027 to Sun 17 Jan 2027 (2 weeks)",
		"How often: For 2 weeks. Do the routine regularly, most days.",
		"Questions? Contact your physiotherapist or healthcare provider", "Your log", "Pain (0-10)"}
	want = append(want, r.Notes...)
	pictures := 0
	for _, ex := range r.Exercises {
		want = append(want, ex.Name)
		if ex.Image != nil {
			pictures++
		}
		if v := ex.Variant; v != nil {
			want = append(want, v.Name)
			if v.Image != nil {
				pictures++
			}
		}
	}
	for d := range 14 {
		want = append(want, start.AddDate(0, 0, d).Format("Mon 2 Jan 2006")+" 0 1 2 3 4 5 6 7 8 9 10")
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the sheet does not say %q", w)
		}
	}
	if strings.Contains(text, "Mon 18 Jan 2027") || strings.Contains(text, "Sun 3 Jan 2027") {
		t.Error("the log runs past its two weeks")
	}
	if pictures != 10 {
		t.Errorf("lower-back has %d pictures, want one per exercise and variant (10)", pictures)
	}
	if n, objs := imagesListed(t, b.Bytes()); n != pictures || objs != pictures {
		t.Errorf("pdfimages lists %d images (%d objects), want %d", n, objs, pictures)
	}
	content := streams(t, b.Bytes())
	if n := boxes(content, boxW-1.2); n != 14 {
		t.Errorf("%d session boxes drawn, want 14 (one session a day for 14 days)", n)
	}
	if n := boxes(content, painW); n != 14*11 {
		t.Errorf("%d pain-scale cells drawn, want %d", n, 14*11)
	}
}

// A routine's own schedule sets the log: two sessions a day for three weeks
// give two boxes a day for 21 days, on Letter paper, with the contact block
// and the pictures of a routine file.
func TestProgrammeFromSchedule(t *testing.T) {
	dir := t.TempDir()
	fig, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	png, err := fig.Exercises[0].Image.Read()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "p.png"), png, 0o644)
	src := `title: Knee programme
schedule:
  times_per_day: 2
  days_per_week: 5
  weeks: 3
contact:
  name: Riverside Physiotherapy
  phone: 020 7946 0000
  email: desk@riverside.example
  web: https://riverside.example/
notes: Add a repetition each week when it feels easy.
exercises:
  - name: Knee bends
    image: p.png
    steps: [Bend your knee.]
  - name: Heel raises
    image: p.png
    steps: [Rise onto your toes.]
`
	path := filepath.Join(dir, "k.yaml")
	os.WriteFile(path, []byte(src), 0o644)
	r, err := routines.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, Options{Routine: r, Paper: Letter, Start: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	for _, w := range []string{"How often: Twice a day, 5 days a week, for 3 weeks.", "From Mon 1 Mar 2027 to Sun 21 Mar 2027 (3 weeks)",
		"Riverside Physiotherapy", "Phone: 020 7946 0000", "Email: desk@riverside.example", "Web: https://riverside.example/",
		"Add a repetition each week", "Tick a box each time you do the routine (2 a day)", "Sun 21 Mar 2027"} {
		if !strings.Contains(text, w) {
			t.Errorf("the sheet does not say %q", w)
		}
	}
	if n := boxes(streams(t, b.Bytes()), boxW-1.2); n != 21*2 {
		t.Errorf("%d session boxes, want 42", n)
	}
	// One picture file shown twice is one image in the PDF, placed twice.
	if n, objs := imagesListed(t, b.Bytes()); n != 2 || objs != 1 {
		t.Errorf("pdfimages lists %d images of %d objects, want 2 of 1", n, objs)
	}
	info := testtool.Output(t, testtool.Require(t, "pdfinfo"), writePDF(t, b.Bytes()))
	if !strings.Contains(string(info), "612 x 792 pts (letter)") {
		t.Errorf("not Letter paper:\n%s", info)
	}
	// No start, no log and no dates.
	b.Reset()
	if err := Write(&b, Options{Routine: r}); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, b.Bytes()); strings.Contains(text, "Your log") || strings.Contains(text, "2027") {
		t.Error("a sheet without a start date prints a log")
	}
}

func TestScheduleWords(t *testing.T) {
	for _, c := range []struct {
		s    routines.Schedule
		want string
	}{
		{routines.Schedule{TimesPerDay: 1, DaysPerWeek: 7, Weeks: 1}, "Once a day, every day, for 1 week."},
		{routines.Schedule{TimesPerDay: 3, DaysPerWeek: 1}, "3 times a day, 1 day a week."},
		{routines.Schedule{Text: "As often as you like."}, "As often as you like."},
		{routines.Schedule{}, ""},
	} {
		if got := ScheduleWords(c.s, "en"); got != c.want {
			t.Errorf("%+v: %q, want %q", c.s, got, c.want)
		}
	}
}

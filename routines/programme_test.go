package routines

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pictureFolder is a routine's folder with a PNG and a JPEG beside it, and
// the mistakes a person makes with pictures.
func pictureFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	img.Set(3, 4, color.Black)
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "pics"), 0o755)
	must(t, os.WriteFile(filepath.Join(dir, "pics", "a.png"), p.Bytes(), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "b.jpg"), j.Bytes(), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "notes.png"), []byte("these are my notes, not a picture\n"), 0o644))
	// 50 MB, as a sparse file: the check must refuse it by its size alone.
	f, err := os.Create(filepath.Join(dir, "huge.png"))
	must(t, err)
	f.Write(p.Bytes())
	must(t, f.Truncate(50<<20))
	f.Close()
	outside := t.TempDir()
	must(t, os.WriteFile(filepath.Join(outside, "x.png"), p.Bytes(), 0o644))
	must(t, os.Symlink(filepath.Join(outside, "x.png"), filepath.Join(dir, "link.png")))
	return dir
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const programmeRoutine = `title: T
schedule:
  times_per_day: 2
  days_per_week: 5
  weeks: 3
  text: Stop for a day if your pain is worse the next morning.
contact:
  name: Riverside Physiotherapy
  phone: +44 (0)20 7946 0000
  email: desk@riverside.example
  web: https://riverside.example/
notes:
  - Add a repetition each week if it feels easy.
  - Call us if pain spreads down a leg.
exercises:
  - name: E
    image: pics/a.png
    steps:
      - Do it.
    variant:
      name: V
      image: b.jpg
      steps:
        - Do less.
`

func TestProgrammeFields(t *testing.T) {
	dir := pictureFolder(t)
	path := filepath.Join(dir, "r.yaml")
	must(t, os.WriteFile(path, []byte(programmeRoutine), 0o644))
	r, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{TimesPerDay: 2, DaysPerWeek: 5, Weeks: 3, Text: "Stop for a day if your pain is worse the next morning."}
	if r.Schedule != want {
		t.Errorf("schedule %+v, want %+v", r.Schedule, want)
	}
	if c := r.Contact; c.Name != "Riverside Physiotherapy" || c.Phone != "+44 (0)20 7946 0000" || c.Email != "desk@riverside.example" || c.Web != "https://riverside.example/" {
		t.Errorf("contact %+v", c)
	}
	if len(r.Notes) != 2 || !strings.HasPrefix(r.Notes[1], "Call us") {
		t.Errorf("notes %q", r.Notes)
	}
	im := r.Exercises[0].Image
	if im == nil || im.Name != "pics/a.png" || im.Type != "image/png" || im.Width != 40 || im.Height != 30 {
		t.Fatalf("image %+v", im)
	}
	b, err := im.Read()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "pics", "a.png")); !bytes.Equal(b, got) {
		t.Error("Read does not give the file's bytes")
	}
	if v := r.Exercises[0].Variant.Image; v == nil || v.Type != "image/jpeg" || v.Ext() != ".jpg" {
		t.Errorf("variant image %+v", v)
	}
	// The short forms: free text for a schedule and a contact.
	r, err = Parse(path, []byte("title: T\nschedule: Every morning\ncontact: your physiotherapist\nnotes: Go easy.\nexercises:\n  - name: E\n    steps: [Go.]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Schedule.Text != "Every morning" || r.Contact.Name != "your physiotherapist" || len(r.Notes) != 1 {
		t.Errorf("short forms: %+v %+v %q", r.Schedule, r.Contact, r.Notes)
	}
}

func TestProgrammeErrors(t *testing.T) {
	dir := pictureFolder(t)
	ex := "exercises:\n  - name: E\n    steps: [Go.]\n"
	cases := []struct {
		name, src string
		want      []string
	}{
		{"missing image", "title: T\n" + ex + "    image: gone.png\n", []string{`5:12: exercise "E": image: gone.png: no such file beside the routine`}},
		{"not an image", "title: T\n" + ex + "    image: notes.png\n", []string{`5:12: exercise "E": image: notes.png is not a PNG or JPEG image`}},
		{"50 MB image", "title: T\n" + ex + "    image: huge.png\n", []string{`5:12: exercise "E": image: huge.png is larger than 5 MB`}},
		{"outside the folder", "title: T\n" + ex + "    image: ../x.png\n", []string{`5:12: exercise "E": image: ../x.png is outside the routine's folder`}},
		{"absolute path", "title: T\n" + ex + "    image: /etc/passwd\n", []string{`5:12: exercise "E": image: /etc/passwd is outside the routine's folder`}},
		{"link out of the folder", "title: T\n" + ex + "    image: link.png\n", []string{`5:12: exercise "E": image: link.png leads outside the routine's folder`}},
		{"a folder", "title: T\n" + ex + "    image: pics\n", []string{`5:12: exercise "E": image: pics is a folder, not an image`}},
		{"variant image", "title: T\n" + ex + "    variant:\n      name: V\n      image: gone.png\n      steps: [Go.]\n", []string{`7:14: variant "V": image: gone.png: no such file`}},
		{"image a list", "title: T\n" + ex + "    image: [a.png]\n", []string{`5:12: exercise "E": image: expected text, found a list`}},
		{"schedule zero", "title: T\nschedule:\n  times_per_day: 0\n" + ex, []string{`3:18: schedule.times_per_day: 0 is not a positive count`}},
		{"schedule 8 days", "title: T\nschedule:\n  days_per_week: 8\n" + ex, []string{`3:18: schedule.days_per_week: 8 is more than the limit of 7`}},
		{"schedule range", "title: T\nschedule:\n  weeks: 2-3\n" + ex, []string{`3:10: schedule.weeks: give one number, not a range`}},
		{"schedule unknown", "title: T\nschedule:\n  per_day: 2\n" + ex, []string{`3:3: schedule: unknown field "per_day"`}},
		{"contact bad email", "title: T\ncontact:\n  email: desk at clinic\n" + ex, []string{`3:10: contact.email: "desk at clinic" is not an email address`}},
		{"contact bad phone", "title: T\ncontact:\n  phone: call me\n" + ex, []string{`3:10: contact.phone: "call me" is not a phone number`}},
		{"contact bad web", "title: T\ncontact:\n  web: javascript:alert(1)\n" + ex, []string{`3:8: contact.web: "javascript:alert(1)" is not an absolute http or https URL`}},
		{"notes unspeakable", "title: T\nnotes: [\"--\"]\n" + ex, []string{`2:9: notes: "--" has nothing to say`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, "r.yaml")
			_, err := Parse(path, []byte(c.src))
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v, want Errors", err)
			}
			if len(es) != len(c.want) {
				t.Fatalf("%d errors, want %d:\n%v", len(es), len(c.want), err)
			}
			for i, e := range es {
				got := strings.TrimPrefix(e.Error(), path+":")
				if !strings.HasPrefix(got, c.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s...", i, got, c.want[i])
				}
			}
		})
	}
}

package page

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"routinecast/mixer"
)

// A title or line that looks like markup stays text: the data inline in the
// page decodes to what was written, and no element is closed early.
func TestWriteKeepsDataWhole(t *testing.T) {
	evil := `</script><script>alert(1)</script> & "quotes"`
	f := mixer.Follow{Title: evil, Seconds: 3, Chapters: []mixer.FollowChapter{{Title: evil, End: 3}},
		Spans: []mixer.FollowSpan{{End: 3, Instruction: evil, Place: mixer.FollowPlace{Name: evil}}}}
	var b bytes.Buffer
	if err := Write(&b, f, Options{Title: evil, Audio: "a b.mp3", Handout: "a.pdf", Cues: "cues.json", Pictures: map[string]string{evil: "data:image/png;base64,AAAA"}}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	// The cues, the files, the pictures, the words and the script.
	if n := strings.Count(page, "</script>"); n != 5 {
		t.Fatalf("%d script elements end in the page, want 5", n)
	}
	m := regexp.MustCompile(`(?s)<script id="cues" type="application/json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no cues in the page")
	}
	var got mixer.Follow
	if err := json.Unmarshal([]byte(m[1]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Title != evil || got.Spans[0].Instruction != evil {
		t.Errorf("the data reads back as %q, %q", got.Title, got.Spans[0].Instruction)
	}
	if !strings.Contains(page, `src="a%20b.mp3"`) {
		t.Errorf("the audio's name is not escaped as a URL")
	}
	if err := Write(&b, f, Options{}); err == nil {
		t.Error("a page without audio was written")
	}
}

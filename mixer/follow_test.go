package mixer

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
	"testing"
)

// TestFollowAnswersAsWhere: the exported spans, looked up by time as the
// follow-along page does, say what Where says at every moment of the
// lower-back routine, countdown included.
func TestFollowAnswersAsWhere(t *testing.T) {
	tl := lowerBackTimeline(t)
	var b bytes.Buffer
	if err := WriteFollowJSON(&b, tl); err != nil {
		t.Fatal(err)
	}
	var f Follow
	if err := json.Unmarshal(b.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Chapters) != len(tl.Chapters) || math.Abs(f.Seconds-tl.Duration().Seconds()) > 0.001 {
		t.Fatalf("%d chapters, %.3f s; the timeline has %d, %v", len(f.Chapters), f.Seconds, len(tl.Chapters), tl.Duration())
	}
	for i := 1; i < len(f.Spans); i++ {
		if f.Spans[i].Start != f.Spans[i-1].End || sameSpan(f.Spans[i], f.Spans[i-1]) {
			t.Fatalf("span %d does not follow span %d, or says the same: %+v %+v", i, i-1, f.Spans[i-1], f.Spans[i])
		}
	}
	near := func(x, y float64) bool { return math.Abs(x-y) < 0.002 }
	checked := 0
	for pos := 0; pos < tl.Length; pos += int(tl.SampleRate) * 37 / 100 {
		at := float64(pos) / float64(tl.SampleRate)
		k := sort.Search(len(f.Spans), func(i int) bool { return f.Spans[i].End > at }) // as the page looks up
		s := f.Spans[k]
		if near(at, s.Start) || near(at, s.End) || s.Timer != nil && near(at-math.Floor(at-s.Timer.End), s.Timer.End) {
			continue // within the rounding of the exported times
		}
		w := tl.Where(pos)
		want := followSpan(w, func(n int) float64 { return round3(float64(n) / float64(tl.SampleRate)) })
		want.Start, want.End = s.Start, s.End
		if !sameSpan(s, want) {
			t.Fatalf("at %.3f s the span says %+v, Where %+v", at, s, want)
		}
		if s.Timer != nil {
			if got := int(math.Ceil(s.Timer.End - at)); got != w.Timer.Seconds() {
				t.Fatalf("at %.3f s the span counts %d s, Where %d", at, got, w.Timer.Seconds())
			}
		}
		checked++
	}
	if checked < 1000 {
		t.Fatalf("only %d moments checked", checked)
	}
	t.Logf("%d spans, %d bytes of JSON, %d moments checked", len(f.Spans), b.Len(), checked)
}

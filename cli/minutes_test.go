package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestShowMinutes(t *testing.T) {
	out, errOut, code := run(t, "show", "lower-back", "--minutes", "28", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v showView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if math.Abs(v.TotalSeconds-28*60) > 10 {
		t.Errorf("--minutes 28 lasts %.3f s", v.TotalSeconds)
	}
	if v.Level != "28 min" {
		t.Errorf("level %q", v.Level)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "lower-back", "--minutes", "10"}, "lower-back lasts 25:33 to 33:35"},
		{[]string{"show", "lower-back", "--minutes", "-1"}, "--minutes -1"},
		{[]string{"show", "lower-back", "--minutes", "28", "--level", "full"}, "exclude each other"},
		{[]string{"export", "lower-back", "--minutes", "60", "-o", t.TempDir() + "/x.mp3"}, "lower-back lasts 25:33 to 33:35"},
	} {
		_, errOut, code := run(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

package narration

import (
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

// TestEngineRate checks festival's rate setting: it changes the clip key
// only when set, is refused where it does nothing, and slows the HTS voice
// down by about its factor.
func TestEngineRate(t *testing.T) {
	base := EngineSpec{Name: "festival", Voice: "cmu_us_slt_arctic_hts"}
	slow := base
	slow.Rate = 0.8
	one := base
	one.Rate = 1
	if base.identity() != one.identity() || base.identity() == slow.identity() {
		t.Errorf("identities %q %q %q: rate 1 must keep the key, 0.8 change it", base.identity(), one.identity(), slow.identity())
	}
	for _, bad := range []EngineSpec{
		{Name: "festival", Voice: "kal_diphone", Rate: 0.8},
		{Name: "flite", Rate: 0.8},
		{Name: "festival", Voice: "cmu_us_slt_arctic_hts", Rate: 0.2},
	} {
		if err := bad.check(); err == nil || !strings.Contains(err.Error(), "rate") {
			t.Errorf("%+v: error %v, want one about the rate", bad, err)
		}
	}

	testtool.Require(t, "text2wave")
	d1, d08 := speak(t, base, testLine).Duration().Seconds(), speak(t, slow, testLine).Duration().Seconds()
	t.Logf("%.3f s at the voice's rate, %.3f s at 0.8", d1, d08)
	if r := d08 / d1; r < 1.15 || r > 1.35 {
		t.Errorf("rate 0.8 made the line %.2f times as long, want about 1.25", r)
	}
}

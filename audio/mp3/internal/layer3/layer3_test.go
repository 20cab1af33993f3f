package layer3

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDCT32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{4, 8, 16, 32} {
		x := make([]float64, n)
		for i := range x {
			x[i] = r.Float64()*2 - 1
		}
		want := make([]float64, n)
		for k := range want {
			for i, v := range x {
				want[k] += v * math.Cos(math.Pi*float64(i)*float64(2*k+1)/float64(2*n))
			}
		}
		dct(x)
		for k := range want {
			if math.Abs(x[k]-want[k]) > 1e-12 {
				t.Fatalf("n=%d: X[%d] = %v, want %v", n, k, x[k], want[k])
			}
		}
	}
}

// TestAnalysis compares the filterbank with the matrixing of ISO/IEC
// 11172-3 C.1.3 computed directly.
func TestAnalysis(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var a analysis
	var hist [512]float64 // X[0] newest
	var out [32][18]float64
	for gr := 0; gr < 3; gr++ {
		in := a.input()
		for i := range in {
			in[i] = r.Float64()*2 - 1
		}
		samples := append([]float64(nil), in...)
		a.run(&out)
		for s := 0; s < 18; s++ {
			for i := 511; i >= 32; i-- {
				hist[i] = hist[i-32]
			}
			for i := 31; i >= 0; i-- {
				hist[i] = samples[32*s+31-i]
			}
			var y [64]float64
			for i := 0; i < 64; i++ {
				for j := 0; j < 8; j++ {
					y[i] += winRev[511-(i+64*j)] * hist[i+64*j]
				}
			}
			for k := 0; k < 32; k++ {
				var want float64
				for i := 0; i < 64; i++ {
					want += math.Cos(float64((2*k+1)*(i-16))*math.Pi/64) * y[i]
				}
				if math.Abs(out[k][s]-want) > 1e-12 {
					t.Fatalf("granule %d step %d subband %d: %v, want %v", gr, s, k, out[k][s], want)
				}
			}
		}
	}
}

// TestMDCT compares the folded transform with the formula of ISO/IEC
// 11172-3 C.1.5.3.2 (before alias reduction, which is checked apart).
func TestMDCT(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var prev, cur [32][18]float64
	for sb := range prev {
		for i := range prev[sb] {
			prev[sb][i] = r.Float64()*2 - 1
			cur[sb][i] = r.Float64()*2 - 1
		}
	}
	var xr [576]float64
	mdctGranule(&prev, &cur, &xr)
	// Undo the alias reduction: the decoder's butterflies.
	for sb := 1; sb < 32; sb++ {
		for i := 0; i < 8; i++ {
			lo, hi := 18*sb-1-i, 18*sb+i
			a, b := xr[lo], xr[hi]
			xr[lo] = a*aliasCs[i] - b*aliasCa[i]
			xr[hi] = b*aliasCs[i] + a*aliasCa[i]
		}
	}
	for sb := 0; sb < 32; sb++ {
		var z [36]float64
		for k := 0; k < 18; k++ {
			z[k], z[k+18] = prev[sb][k], cur[sb][k]
		}
		for k := range z {
			if sb%2 == 1 && k%2 == 1 {
				z[k] = -z[k]
			}
			z[k] *= math.Sin(math.Pi / 36 * (float64(k) + 0.5))
		}
		for i := 0; i < 18; i++ {
			var want float64
			for k := range z {
				want += z[k] * math.Cos(math.Pi/72*float64(2*k+1+18)*float64(2*i+1))
			}
			want *= mdctScale
			if got := xr[18*sb+i]; math.Abs(got-want) > 1e-12 {
				t.Fatalf("subband %d line %d: %v, want %v", sb, i, got, want)
			}
		}
	}
}

func TestHeader(t *testing.T) {
	cases := []struct {
		cfg          Config
		pad, modeExt int
		want         string
	}{
		// 1111 1111 | 1111 1011 | 1001 (128) 00 (44.1) 1 0 | 01 (joint) 10 (MS) 0 1 00
		{Config{44100, 128, JointStereo}, 1, 2, "ff fb 92 64"},
		// MPEG-2: 1111 0011 | 0101 (40) 01 (24 kHz) 0 0 | 11 (mono) 00 0 1 00
		{Config{24000, 40, Mono}, 0, 0, "ff f3 54 c4"},
		// 1110 (320) 10 (32 kHz) 0 0 | 00 (stereo) 00 0 1 00
		{Config{32000, 320, Stereo}, 0, 0, "ff fb e8 04"},
		// MPEG-2 16 kHz 8 kbps: 0001 10 1 0 | 11 00 0 1 00
		{Config{16000, 8, Mono}, 1, 0, "ff f3 1a c4"},
	}
	for _, c := range cases {
		e, err := New(c.cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := e.Header(0, c.pad, c.modeExt)
		if got := fmt.Sprintf("% x", h[:]); got != c.want {
			t.Errorf("%+v: header %s, want %s", c.cfg, got, c.want)
		}
	}
}

func bitsOf(b []byte) string {
	var s strings.Builder
	for _, v := range b {
		fmt.Fprintf(&s, "%08b", v)
	}
	return s.String()
}

func TestSideInfo(t *testing.T) {
	e, err := New(Config{44100, 64, Mono}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := &e.gr[0][0]
	g.part23, g.bigValues, g.gain = 1234, 100, 170
	g.table = [3]int{5, 7, 13}
	g.region0, g.region1, g.count1Table = 7, 3, 1
	g2 := &e.gr[1][0]
	g2.gain = 210
	e.side.reset(nil)
	e.writeSideInfo(300)
	want := "100101100" + "00000" + "0000" + // main_data_begin 300, private, scfsi
		// part2_3_length 1234, big_values 100, global_gain 170, scalefac_compress,
		// window_switching_flag, tables 5 7 13, region0 7, region1 3, preflag,
		// scalefac_scale, count1table 1
		"010011010010" + "001100100" + "10101010" + "0000" + "0" + "00101" + "00111" + "01101" + "0111" + "011" + "0" + "0" + "1" +
		"000000000000" + "000000000" + "11010010" + "0000" + "0" + "00000" + "00000" + "00000" + "0000" + "000" + "0" + "0" + "0"
	if got := bitsOf(e.side.bytes()); got != want {
		t.Errorf("MPEG-1 mono side info\n got %s\nwant %s", got, want)
	}

	e, err = New(Config{22050, 40, JointStereo}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for ch := 0; ch < 2; ch++ {
		g := &e.gr[0][ch]
		g.part23, g.bigValues, g.gain = 700+ch, 50, 150
		g.table = [3]int{24, 16, 0}
		g.region0, g.region1 = 15, 5
	}
	e.side.reset(nil)
	e.writeSideInfo(255)
	ch := func(p23 string) string {
		// part2_3_length, big_values 50, gain 150, scalefac_compress (9 bits),
		// window_switching_flag, tables 24 16 0, region0 15, region1 5,
		// scalefac_scale, count1table
		return p23 + "000110010" + "10010110" + "000000000" + "0" + "11000" + "10000" + "00000" + "1111" + "101" + "0" + "0"
	}
	want = "11111111" + "00" + ch("001010111100") + ch("001010111101")
	if got := bitsOf(e.side.bytes()); got != want {
		t.Errorf("MPEG-2 stereo side info\n got %s\nwant %s", got, want)
	}
}

func TestBitWriter(t *testing.T) {
	var w bitWriter
	w.reset(nil)
	w.write(0b101, 3)
	w.write(0xFFFFFFFF, 0)
	w.write(0x1234567, 28)
	w.write(1, 1)
	if w.nbits != 32 {
		t.Fatalf("%d bits", w.nbits)
	}
	if got, want := fmt.Sprintf("% x", w.bytes()), "a2 46 8a cf"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestAssembler checks that each frame's main data lands main_data_begin
// bytes before its own slots and that frames come out whole and in order.
func TestAssembler(t *testing.T) {
	var out [][]byte
	a := assembler{emit: func(b []byte) error { out = append(out, append([]byte(nil), b...)); return nil }}
	// Frame 0: 10 slots, 4 bytes of data -> 6 free. Frame 1 takes 6 from
	// the reservoir and 12 of its own 10 slots... (10+6 = 16 max).
	if f := a.free(); f != 0 {
		t.Fatalf("free %d", f)
	}
	if err := a.add([]byte{0xA0}, 10, 0, []byte{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	if len(out) != 0 || a.free() != 6 {
		t.Fatalf("after frame 0: %d out, free %d", len(out), a.free())
	}
	if err := a.add([]byte{0xA1}, 10, 6, []byte{5, 6, 7, 8, 9, 10, 11, 12}); err != nil {
		t.Fatal(err)
	}
	// Frame 0 is complete: 1 2 3 4 then frame 1's first 6 bytes.
	if len(out) != 1 || fmt.Sprint(out[0]) != "[160 1 2 3 4 5 6 7 8 9 10]" {
		t.Fatalf("frame 0: %v", out)
	}
	// Frame 2 uses 3 of the 8 free bytes: 5 bytes of stuffing go first.
	if err := a.add([]byte{0xA2}, 10, 3, []byte{13}); err != nil {
		t.Fatal(err)
	}
	if err := a.close(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"[160 1 2 3 4 5 6 7 8 9 10]",
		"[161 11 12 0 0 0 0 0 13 0 0]",
		"[162 0 0 0 0 0 0 0 0 0 0]",
	}
	if len(out) != 3 {
		t.Fatalf("%d frames: %v", len(out), out)
	}
	for i, w := range want {
		if got := fmt.Sprint(out[i]); got != w {
			t.Errorf("frame %d: %s, want %s", i, got, w)
		}
	}
}

func TestFastLog2(t *testing.T) {
	for x := 1e-30; x < 1e30; x *= 1.37 {
		if d := math.Abs(fastLog2(x) - math.Log2(x)); d > 0.001 {
			t.Fatalf("fastLog2(%g) off by %g", x, d)
		}
	}
}

// TestSameChannels: transforming equal channels once must give the same
// stream as transforming each, through changes between equal and
// different channels.
func TestSameChannels(t *testing.T) {
	encode := func(shortcut bool) ([]byte, int) {
		var out []byte
		e, err := New(Config{44100, 128, JointStereo}, func(f []byte) error { out = append(out, f...); return nil })
		if err != nil {
			t.Fatal(err)
		}
		e.noSameShortcut = !shortcut
		n := e.FrameSamples()
		for f := 0; f < 12; f++ {
			pcm := [2][]float64{make([]float64, n), make([]float64, n)}
			for i := range pcm[0] {
				k := float64(f*n + i)
				x := 0.4*math.Sin(k*0.03) + 0.1*math.Sin(k*0.71)
				pcm[0][i], pcm[1][i] = x, x
				if f >= 4 && f < 6 && i > 300 {
					pcm[1][i] = 0.5 * x // different for a while
				}
			}
			if err := e.EncodeFrame(pcm); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.Flush(); err != nil {
			t.Fatal(err)
		}
		return out, e.sameGranules
	}
	fast, served := encode(true)
	// 24 granules: 4 at frames 4-5 differ, 2 more wait for the states to
	// agree again.
	if served != 18 {
		t.Errorf("shortcut used for %d granules, want 18", served)
	}
	slow, _ := encode(false)
	if string(fast) != string(slow) {
		t.Error("the equal-channel shortcut changes the stream")
	}
}

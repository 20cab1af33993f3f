package tables

import (
	"fmt"
	"testing"
)

// Table A (count1 table 32) of ISO/IEC 11172-3 Table 3-B.7, as printed there,
// indexed by v<<3|w<<2|x<<1|y.
var tableA = [16]string{
	"1", "0101", "0100", "00101", "0110", "000101", "00100", "000100",
	"0111", "00011", "00110", "000000", "00111", "000010", "000011", "000001",
}

func code(t, v int) string {
	n := int(HuffLen[t][v])
	return fmt.Sprintf("%0*b", n, HuffCode[t][v])
}

func TestCount1Tables(t *testing.T) {
	for v, want := range tableA {
		if got := code(32, v); got != want {
			t.Errorf("table A %04b: %s, want %s", v, got, want)
		}
		// Table B is the 4-bit complement of the value.
		if got, want := code(33, v), fmt.Sprintf("%04b", 15-v); got != want {
			t.Errorf("table B %04b: %s, want %s", v, got, want)
		}
	}
}

func TestTable1(t *testing.T) {
	// ISO/IEC 11172-3 Table 3-B.7, table 1.
	want := map[int]string{0x00: "1", 0x01: "001", 0x10: "01", 0x11: "000"}
	for v, w := range want {
		if got := code(1, v); got != w {
			t.Errorf("table 1 (%d,%d): %s, want %s", v>>4, v&15, got, w)
		}
	}
}

// TestComplete checks that every table is a complete prefix code of the
// right size: the Kraft sum of its lengths is exactly 1.
func TestComplete(t *testing.T) {
	sizes := map[int]int{1: 2, 2: 3, 3: 3, 5: 4, 6: 4, 7: 6, 8: 6, 9: 6, 10: 8, 11: 8, 12: 8, 13: 16, 15: 16, 16: 16, 24: 16}
	for tab, n := range sizes {
		var kraft float64
		count := 0
		for v := 0; v < 256; v++ {
			l := HuffLen[tab][v]
			if v>>4 >= n || v&15 >= n {
				if l != 0 {
					t.Errorf("table %d has a code for (%d,%d)", tab, v>>4, v&15)
				}
				continue
			}
			if l == 0 {
				t.Errorf("table %d has no code for (%d,%d)", tab, v>>4, v&15)
				continue
			}
			kraft += 1 / float64(uint64(1)<<l)
			count++
		}
		if kraft != 1 || count != n*n {
			t.Errorf("table %d: %d codes, Kraft sum %v", tab, count, kraft)
		}
	}
}

func TestSfbAndWindow(t *testing.T) {
	for lsf := range SfbLong {
		for sf := range SfbLong[lsf] {
			b := SfbLong[lsf][sf]
			if b[0] != 0 || b[22] != 576 {
				t.Errorf("long bands [%d][%d] span %d..%d", lsf, sf, b[0], b[22])
			}
			for i := 1; i < len(b); i++ {
				if b[i] <= b[i-1] {
					t.Errorf("long bands [%d][%d] not increasing at %d", lsf, sf, i)
				}
			}
			if s := SfbShort[lsf][sf]; s[0] != 0 || s[13] != 192 {
				t.Errorf("short bands [%d][%d] span %d..%d", lsf, sf, s[0], s[13])
			}
		}
	}
	// 44.1 kHz long bands, ISO/IEC 11172-3 Table 3-B.8.
	want := [23]int{0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 52, 62, 74, 90, 110, 134, 162, 196, 238, 288, 342, 418, 576}
	if SfbLong[0][0] != want {
		t.Errorf("44.1 kHz bands %v", SfbLong[0][0])
	}
	// Window (Table 3-B.3): D[0] = 0 and the peak D[256] = 1.144989014,
	// which is 75038·2^-16.
	if AnalysisWindow[0] != 0 || AnalysisWindow[256] != 75038 {
		t.Errorf("C[0] = %d, C[256] = %d (units of 2^-16)", AnalysisWindow[0], AnalysisWindow[256])
	}
}

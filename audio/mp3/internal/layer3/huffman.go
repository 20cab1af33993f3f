package layer3

import "routinecast/audio/mp3/internal/tables"

// linbits of the big-value tables 16-31 (ISO/IEC 11172-3 Table 3-B.7).
var linbits = [32]int{
	16: 1, 17: 2, 18: 3, 19: 4, 20: 6, 21: 8, 22: 10, 23: 13,
	24: 4, 25: 5, 26: 6, 27: 7, 28: 8, 29: 9, 30: 11, 31: 13,
}

// pairLen[t][x<<4|y] is the length of the code word for (x, y) in table t
// plus its sign bits; for t = 16 and 24 (the code words of 16-23 and 24-31)
// x and y are at most 15 and linbits are counted apart.
var pairLen [25][256]uint16

// quadLen[t][v] is the length of count1 table t (0 = A, 1 = B) for the
// quadruple v = v<<3|w<<2|x<<1|y plus its sign bits.
var quadLen [2][16]uint16

// smallTables lists the big-value tables by the largest value they code.
var smallTables = [16][]int{
	1: {1}, 2: {2, 3}, 3: {5, 6}, 4: {7, 8, 9}, 5: {7, 8, 9},
	6: {10, 11, 12}, 7: {10, 11, 12},
	8: {13, 15}, 9: {13, 15}, 10: {13, 15}, 11: {13, 15}, 12: {13, 15},
	13: {13, 15}, 14: {13, 15}, 15: {13, 15},
}

func init() {
	for t := 1; t <= 24; t++ {
		for v := 0; v < 256; v++ {
			l := tables.HuffLen[t][v]
			if l == 0 {
				continue
			}
			n := uint16(l)
			if v>>4 != 0 {
				n++
			}
			if v&15 != 0 {
				n++
			}
			pairLen[t][v] = n
		}
	}
	for v := 0; v < 16; v++ {
		s := uint16(v>>3&1 + v>>2&1 + v>>1&1 + v&1)
		quadLen[0][v] = uint16(tables.HuffLen[32][v]) + s
		quadLen[1][v] = 4 + s
	}
}

// codeBase returns the table whose code words table t uses.
func codeBase(t int) int {
	switch {
	case t >= 24:
		return 24
	case t >= 16:
		return 16
	}
	return t
}

// regionInfo is the result of choosing a table for one region.
type regionInfo struct {
	table, bits int
}

// bestTable picks the cheapest table for the pairs ix[start:end] (end-start
// even), whose largest value is max.
func bestTable(ix []int32, start, end int, max int32) regionInfo {
	if start >= end || max == 0 {
		return regionInfo{0, 0}
	}
	if max <= 15 {
		best := regionInfo{-1, 1 << 30}
		for _, t := range smallTables[max] {
			pl := &pairLen[t]
			n := 0
			for i := start; i < end; i += 2 {
				n += int(pl[ix[i]<<4|ix[i+1]])
			}
			if n < best.bits {
				best = regionInfo{t, n}
			}
		}
		return best
	}
	// Escape tables: both code sets, then the fewest linbits that hold max-15.
	need := 0
	for (int32(1) << need) <= max-15 {
		need++
	}
	n16, n24, nEsc := 0, 0, 0
	for i := start; i < end; i += 2 {
		v, n := escPair(ix[i], ix[i+1])
		nEsc += int(n)
		n16 += int(pairLen[16][v])
		n24 += int(pairLen[24][v])
	}
	t16, t24 := 16, 24
	for linbits[t16] < need {
		t16++
	}
	for linbits[t24] < need {
		t24++
	}
	a := regionInfo{t16, n16 + nEsc*linbits[t16]}
	b := regionInfo{t24, n24 + nEsc*linbits[t24]}
	if b.bits < a.bits {
		return b
	}
	return a
}

// count1Bits returns the bits of the quadruples ix[start:end] in table A and
// in table B.
func count1Bits(ix []int32, start, end int) (a, b int) {
	for i := start; i < end; i += 4 {
		v := ix[i]<<3 | ix[i+1]<<2 | ix[i+2]<<1 | ix[i+3]
		a += int(quadLen[0][v])
		b += int(quadLen[1][v])
	}
	return a, b
}

// writeBigValues writes the pairs ix[start:end] in table t with their signs
// taken from xr.
func writeBigValues(w *bitWriter, ix []int32, xr []float64, start, end, t int) {
	if t == 0 {
		return
	}
	base := codeBase(t)
	lb := linbits[t]
	codes, lens := &tables.HuffCode[base], &tables.HuffLen[base]
	if lb == 0 {
		// Code word and sign bits in one write.
		for i := start; i < end; i += 2 {
			x, y := ix[i], ix[i+1]
			v := x<<4 | y
			c, n := codes[v], int(lens[v])
			if x != 0 {
				c = c<<1 | signBit(xr[i])
				n++
			}
			if y != 0 {
				c = c<<1 | signBit(xr[i+1])
				n++
			}
			w.write(c, n)
		}
		return
	}
	for i := start; i < end; i += 2 {
		x, y := ix[i], ix[i+1]
		v := min(x, 15)<<4 | min(y, 15)
		w.write(codes[v], int(lens[v]))
		if x != 0 {
			if x >= 15 {
				w.write(uint32(x-15), lb)
			}
			w.write(signBit(xr[i]), 1)
		}
		if y != 0 {
			if y >= 15 {
				w.write(uint32(y-15), lb)
			}
			w.write(signBit(xr[i+1]), 1)
		}
	}
}

// writeCount1 writes the quadruples ix[start:end] in count1 table t (0 or 1).
func writeCount1(w *bitWriter, ix []int32, xr []float64, start, end, t int) {
	codes, lens := &tables.HuffCode[32+t], &tables.HuffLen[32+t]
	for i := start; i < end; i += 4 {
		v := ix[i]<<3 | ix[i+1]<<2 | ix[i+2]<<1 | ix[i+3]
		c, n := codes[v], int(lens[v])
		for j := i; j < i+4; j++ {
			if ix[j] != 0 {
				c = c<<1 | signBit(xr[j])
				n++
			}
		}
		w.write(c, n)
	}
}

func signBit(x float64) uint32 {
	if x < 0 {
		return 1
	}
	return 0
}

// escPair is the code-table index of the pair (x, y) in a table with
// escapes, where 15 stands for any value from 15 up, and how many of the two
// need linbits.
func escPair(x, y int32) (v, esc int32) {
	if x >= 15 {
		x = 15
		esc++
	}
	if y >= 15 {
		y = 15
		esc++
	}
	return x<<4 | y, esc
}

package layer3

import "math"

// maxQuant is the largest quantized magnitude Layer III can code: 15 plus
// 13 linbits.
const maxQuant = 15 + 8191

// roundOffset is added before truncating |x|^(3/4)/step^(3/4): 0.4054 puts
// the decision between 0 and 1 where the squared error of both is equal.
const roundOffset = 0.4054

// stepPow[g] is 2^(-3/16 (g-210)), the factor that maps |x|^(3/4) to the
// quantized domain at global gain g.
var stepPow [256]float64

func init() {
	for g := range stepPow {
		stepPow[g] = math.Pow(2, -0.1875*float64(g-210))
	}
}

// granule is one channel of one granule being coded.
type granule struct {
	xr    [576]float64 // spectral lines
	xr34  [576]float64 // |xr|^(3/4)
	ix    [576]int32   // quantized magnitudes
	nz    int          // lines at and above nz are zero whatever the gain
	max   float64      // largest xr34
	qgain int          // gain ix was last quantized at, -1 for none

	codeParams
}

// codeParams are the coding parameters chosen for a granule.
type codeParams struct {
	gain        int
	bigValues   int // pairs
	count1End   int // first line of the all-zero region
	table       [3]int
	region0     int
	region1     int
	count1Table int
	part23      int // bits of Huffman data (no scalefactors are sent)
}

// prepare computes xr34 and the extent of the non-zero lines.
func (g *granule) prepare() {
	xr34 := &g.xr34
	g.qgain = -1
	clear(g.ix[:])
	zero := true
	for _, x := range &g.xr {
		if x != 0 {
			zero = false
			break
		}
	}
	if zero { // silence, or the side channel of a mono source
		clear(xr34[:])
		g.nz, g.max = 0, 0
		return
	}
	var mx float64
	for i, x := range &g.xr {
		a := math.Abs(x)
		v := math.Sqrt(a * math.Sqrt(a))
		xr34[i] = v
		if v > mx {
			mx = v
		}
	}
	nz := 576
	for nz > 0 && xr34[nz-1] == 0 {
		nz--
	}
	g.nz, g.max = nz, mx
}

// minGain is the smallest global gain whose quantized values stay codable.
func (g *granule) minGain() int {
	lo, hi := 0, 255
	for lo < hi {
		m := (lo + hi) / 2
		if g.max*stepPow[m]+roundOffset < maxQuant {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// quantize fills ix[:nz] at global gain gain. Values beyond maxQuant, which
// only a gain under minGain gives, are clipped.
func (g *granule) quantize(gain int) {
	if gain == g.qgain {
		return
	}
	g.qgain = gain
	q := stepPow[gain]
	ix := g.ix[:g.nz]
	for i, v := range g.xr34[:g.nz] {
		ix[i] = int32(min(v*q+roundOffset, maxQuant))
	}
}

// layout finds the count1 and zero regions of ix and sets bigValues and
// count1End; it returns the count1 bits and table.
func (g *granule) layout() {
	ix := &g.ix
	i := g.nz + g.nz&1
	for i >= 2 && ix[i-1] == 0 && ix[i-2] == 0 {
		i -= 2
	}
	g.count1End = i
	for i >= 4 && ix[i-1] <= 1 && ix[i-2] <= 1 && ix[i-3] <= 1 && ix[i-4] <= 1 {
		i -= 4
	}
	g.bigValues = i / 2
}

// countFixed counts the bits of ix in the current layout with the region
// split (r0, r1) already in g, choosing the best table per region.
func (g *granule) countFixed(sfb *[23]int) int {
	g.layout()
	end := 2 * g.bigValues
	a := min(sfb[g.region0+1], end)
	b := min(sfb[g.region0+g.region1+2], end)
	ix := g.ix[:]
	bits := 0
	bounds := [4]int{0, a, b, end}
	for r := 0; r < 3; r++ {
		s, e := bounds[r], bounds[r+1]
		var m int32
		for _, v := range ix[s:e] {
			m = max(m, v)
		}
		ri := bestTable(ix, s, e, m)
		g.table[r] = ri.table
		bits += ri.bits
	}
	ca, cb := count1Bits(ix, end, g.count1End)
	if cb < ca {
		g.count1Table, bits = 1, bits+cb
	} else {
		g.count1Table, bits = 0, bits+ca
	}
	g.part23 = bits
	return bits
}

// Tables that can code a region, in the order the split search tries them.
var splitTables = [...]int{1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15}

// tableCap is the largest value each table of splitTables codes.
var tableCap = [16]int32{1: 1, 2: 2, 3: 2, 5: 3, 6: 3, 7: 5, 8: 5, 9: 5, 10: 7, 11: 7, 12: 7, 13: 15, 15: 15}

// countBest counts the bits of ix with the best region split and tables,
// and stores them in g.
func (g *granule) countBest(sfb *[23]int) int {
	g.layout()
	end := 2 * g.bigValues
	ix := g.ix[:]

	// Bands of the big-value region, the last one cut at end.
	var bound [23]int
	nb := 0
	for nb < 22 && sfb[nb] < end {
		bound[nb] = sfb[nb]
		nb++
	}
	bound[nb] = end

	// Per band: largest value, and prefix sums of the bits in each table.
	var bandMax [22]int32
	var pre [len(splitTables) + 2][23]int32 // +16-code, +24-code
	var preEsc [23]int32                    // values >= 15
	for k := 0; k < nb; k++ {
		var m int32
		var sums [len(splitTables) + 2]int32
		var esc int32
		for i := bound[k]; i < bound[k+1]; i += 2 {
			x, y := ix[i], ix[i+1]
			m = max(m, x, y)
			if x >= 15 {
				x = 15
				esc++
			}
			if y >= 15 {
				y = 15
				esc++
			}
			v := x<<4 | y
			for j, t := range splitTables {
				sums[j] += int32(pairLen[t][v])
			}
			sums[len(splitTables)] += int32(pairLen[16][v])
			sums[len(splitTables)+1] += int32(pairLen[24][v])
		}
		bandMax[k] = m
		for j := range sums {
			pre[j][k+1] = pre[j][k] + sums[j]
		}
		preEsc[k+1] = preEsc[k] + esc
	}

	// regionCost picks the table for bands [s, e).
	regionCost := func(s, e int) (table, bits int) {
		if s >= e {
			return 0, 0
		}
		var m int32
		for k := s; k < e; k++ {
			m = max(m, bandMax[k])
		}
		if m == 0 {
			return 0, 0
		}
		best, bt := int32(1<<30), 0
		if m <= 15 {
			for j, t := range splitTables {
				if tableCap[t] < m {
					continue
				}
				if c := pre[j][e] - pre[j][s]; c < best {
					best, bt = c, t
				}
			}
			return bt, int(best)
		}
		need := 0
		for (int32(1) << need) <= m-15 {
			need++
		}
		esc := preEsc[e] - preEsc[s]
		t16, t24 := 16, 24
		for linbits[t16] < need {
			t16++
		}
		for linbits[t24] < need {
			t24++
		}
		c16 := pre[len(splitTables)][e] - pre[len(splitTables)][s] + esc*int32(linbits[t16])
		c24 := pre[len(splitTables)+1][e] - pre[len(splitTables)+1][s] + esc*int32(linbits[t24])
		if c24 < c16 {
			return t24, int(c24)
		}
		return t16, int(c16)
	}

	// Cost of every region [s, e) in bands, computed once.
	var cost [23][23]int32
	var tab [23][23]int8
	for s := 0; s <= nb; s++ {
		for e := s; e <= nb; e++ {
			t, c := regionCost(s, e)
			cost[s][e], tab[s][e] = int32(c), int8(t)
		}
	}
	best := int32(1 << 30)
	for r0 := 0; r0 < 16; r0++ {
		a := min(r0+1, nb)
		for r1 := 0; r1 < 8 && r0+r1 <= 20; r1++ {
			b := min(r0+r1+2, nb)
			c := cost[0][a] + cost[a][b] + cost[b][nb]
			if c < best {
				best = c
				g.region0, g.region1 = r0, r1
				g.table = [3]int{int(tab[0][a]), int(tab[a][b]), int(tab[b][nb])}
			}
			if b == nb {
				break
			}
		}
		if a == nb {
			break
		}
	}
	bits := int(best)
	ca, cb := count1Bits(ix, end, g.count1End)
	if cb < ca {
		g.count1Table, bits = 1, bits+cb
	} else {
		g.count1Table, bits = 0, bits+ca
	}
	g.part23 = bits
	return bits
}

// write appends the Huffman data of the granule to w.
func (g *granule) write(w *bitWriter, sfb *[23]int) {
	end := 2 * g.bigValues
	a := min(sfb[g.region0+1], end)
	b := min(sfb[g.region0+g.region1+2], end)
	writeBigValues(w, g.ix[:], g.xr[:], 0, a, g.table[0])
	writeBigValues(w, g.ix[:], g.xr[:], a, b, g.table[1])
	writeBigValues(w, g.ix[:], g.xr[:], b, end, g.table[2])
	writeCount1(w, g.ix[:], g.xr[:], end, g.count1End, g.count1Table)
}

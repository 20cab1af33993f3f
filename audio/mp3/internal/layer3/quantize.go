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
	xr      [576]float64 // spectral lines
	xr34    [576]float64 // |xr|^(3/4)
	ix      [576]int32   // quantized magnitudes
	nz      int          // lines at and above nz are zero whatever the gain
	max     float64      // largest xr34
	qgain   int          // gain ix was last quantized at, -1 for none
	qnz     int          // ix[qnz:] is zero
	sfb     *[23]int     // scalefactor band boundaries
	bandMax [22]float64  // largest xr34 of each band
	bandE   [22]float64  // energy (sum of xr²) of each band
	have34  int          // xr34[:have34] is computed (lazily, band by band)

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

// prepare finds the largest value of each band and the extent of the
// non-zero lines. xr34 is computed later, only as far as quantize needs:
// band-limited sources (speech at 16 kHz in a 44.1 kHz stream) leave the
// top bands below any quantizer step.
func (g *granule) prepare() {
	g.qgain = -1
	clear(g.ix[:])
	g.qnz, g.have34 = 0, 0
	var mx float64
	nz := 0
	for b := 0; b < 22; b++ {
		var bm, be float64
		for _, x := range g.xr[g.sfb[b]:g.sfb[b+1]] {
			bm = max(bm, math.Abs(x))
			be += x * x
		}
		if bm > 0 {
			nz = g.sfb[b+1]
		}
		bm = pow34(bm)
		g.bandMax[b] = bm
		g.bandE[b] = be
		mx = max(mx, bm)
	}
	for nz > 0 && g.xr[nz-1] == 0 {
		nz--
	}
	g.nz, g.max = nz, mx
}

// pow34 returns x^(3/4) for x >= 0, in float32, whose square root is twice
// as fast: the relative error, about 1e-7, moves no quantized value but at
// a tie.
func pow34(x float64) float64 {
	a := float32(x)
	return float64(float32(math.Sqrt(float64(a * float32(math.Sqrt(float64(a)))))))
}

// need34 computes xr34 up to line end.
func (g *granule) need34(end int) {
	if end <= g.have34 {
		return
	}
	xr34 := g.xr34[g.have34:end]
	for i, x := range g.xr[g.have34:end] {
		xr34[i] = pow34(math.Abs(x))
	}
	g.have34 = end
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

// quantize fills ix at global gain gain, then fills the bands that
// rounding left nearly empty (see fillBand). Bands above the last one with
// a value that rounds to 1 or more, or with energy worth filling, are left
// zero without work (the top bands of band-limited sources). Values beyond
// maxQuant, which only a gain under minGain gives, are clipped.
func (g *granule) quantize(gain int) {
	if gain == g.qgain {
		return
	}
	g.qgain = gain
	q := stepPow[gain]
	// v·q + roundOffset >= 1 needs v >= (1-roundOffset)/q; a margin keeps
	// rounding in the division from dropping a line.
	thr := (1 - roundOffset) / q * 0.999
	// A band is worth filling when its energy, in units of the energy of
	// one line dequantized at 1, reaches fillMin.
	unit := stepEnergy[gain]
	eMin := fillMin * unit
	end := 0
	for b := 21; b >= 0; b-- {
		if g.bandMax[b] >= thr || g.bandE[b] >= eMin {
			end = min(g.sfb[b+1], g.nz)
			break
		}
	}
	g.need34(end)
	ix := g.ix[:end]
	for i, v := range g.xr34[:end] {
		ix[i] = int32(min(v*q+roundOffset, maxQuant))
	}
	if g.qnz > end {
		clear(g.ix[end:g.qnz])
	}
	g.qnz = end
	// Only bands whose largest value rounds under fillTop can lose most of
	// their energy to rounding.
	top := (fillTop - roundOffset) / q
	for b := 0; b < 22 && g.sfb[b] < end; b++ {
		if g.bandMax[b] < top && g.bandE[b] >= eMin {
			g.fillBand(g.sfb[b], min(g.sfb[b+1], end), g.bandE[b]/unit)
		}
	}
}

// Noise filling. With one quantizer step for the whole granule, rounding
// to the nearest level zeroes every line under half a step: the gaps
// between formants, the upper bands of voiced speech and most of a quiet
// frame, where consonants are heard. A band that rounding leaves with less
// than half its energy gets lines set to ±1 (the band's largest zeroed
// lines, with their own signs) until it holds at least fillLow of its
// energy, as long as one more line does not take it over fillHigh: the band
// is then coded as sparse noise at about its level instead of a hole, and
// the gain search pays for the extra bits with a coarser step.
const (
	fillMin  = 1.0 / 3 // smallest band energy filled, in one-line units (-4.8 dB)
	fillLow  = 0.5     // fill up to this fraction of the band's energy (-3 dB)
	fillHigh = 3.0     // never past this fraction (+4.8 dB)
	fillTop  = 2       // bands whose largest value rounds to this or more are left alone
)

// stepEnergy[g] is the energy of a line dequantized at 1 at global gain g:
// the squared step, 2^((g-210)/2).
var stepEnergy [256]float64

func init() {
	for g := range stepEnergy {
		stepEnergy[g] = math.Pow(2, float64(g-210)/2)
	}
}

// pow43sq[v] is the energy of a line dequantized at v, in one-line units:
// v^(8/3). Bands that fillBand looks at hold values under fillTop.
var pow43sq = [fillTop]float64{0, 1}

// fillBand fills the band of lines [s, e), whose energy is target one-line
// units, where rounding lost too much of it (see fillLow). e is cut at the
// end of the quantized lines: above it xr34 is not computed.
func (g *granule) fillBand(s, e int, target float64) {
	ix := g.ix[s:e]
	var have float64
	for _, v := range ix {
		have += pow43sq[v]
	}
	low, high := fillLow*target, fillHigh*target
	for have < low && have+1 <= high {
		// The largest line still at zero; bands are short (4 to 54
		// lines) and only a few lines are ever added.
		best, bv := -1, -1.0
		for i, v := range g.xr34[s:e] {
			if ix[i] == 0 && v > bv {
				best, bv = i, v
			}
		}
		if best < 0 || bv == 0 {
			return
		}
		ix[best] = 1
		have++
	}
}

// layout splits ix into the big values (pairs), the count1 region
// (quadruples of magnitudes up to 1) and the zeros, setting bigValues and
// count1End.
func (g *granule) layout() {
	ix := &g.ix
	i := g.qnz + g.qnz&1
	for i >= 2 && ix[i-1] == 0 && ix[i-2] == 0 {
		i -= 2
	}
	// Quadruples are counted from the end of the big values, so a count1
	// region whose length is not a multiple of four can grow by a pair of
	// zeros to reach further down: a lone big-value pair of ones, which
	// noise filling leaves in quiet granules, then goes into a quadruple.
	// (mpg123 1.31.2 reported "dequantization failed" on a joint-stereo
	// frame whose second channel was such a pair alone, after a first
	// channel of one pair and quadruples; each channel alone decoded.)
	if i&2 != 0 && ix[i-1] <= 1 && ix[i-2] <= 1 {
		i += 2
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
	return g.withCount1(ix, end, bits)
}

// withCount1 adds to the big values' bits those of the count1 region in
// its cheaper table, and records the total as the granule's.
func (g *granule) withCount1(ix []int32, end, bits int) int {
	ca, cb := count1Bits(ix, end, g.count1End)
	if cb < ca {
		g.count1Table, bits = 1, bits+cb
	} else {
		g.count1Table, bits = 0, bits+ca
	}
	g.part23 = bits
	return bits
}

// Tables that can code a region without escapes, with the largest value
// each codes.
var (
	splitTables = [...]int{1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15}
	splitCap    = [...]int32{1, 2, 2, 3, 3, 5, 5, 5, 7, 7, 7, 15, 15}
)

// firstSplit[m] is the first of splitTables that can code a value of m.
var firstSplit = func() (f [16]int) {
	for m := range f {
		for f[m] < len(splitCap) && splitCap[f[m]] < int32(m) {
			f[m]++
		}
	}
	return f
}()

// noTable marks a band's bits in a table that cannot code it; any region
// holding the band then costs more than any real choice.
const noTable = 1 << 24

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

	// Per band: largest value, and prefix sums of the bits in each table
	// (noTable where the table cannot code the band) and of the escaped
	// values.
	const nt = len(splitTables)
	var bandMax [22]int32
	var pre [nt + 2][23]int32 // + the 16 and 24 code words
	var preEsc [23]int32
	var maxAll int32
	for k := 0; k < nb; k++ {
		var m int32
		for _, v := range ix[bound[k]:bound[k+1]] {
			m = max(m, v)
		}
		bandMax[k] = m
		maxAll = max(maxAll, m)
	}
	for k := 0; k < nb; k++ {
		m := bandMax[k]
		var sums [nt + 2]int32
		first := nt // first table that can code the band
		for j := nt - 1; j >= 0 && splitCap[j] >= m; j-- {
			first = j
		}
		var esc int32
		if m <= 3 {
			// Small values: count each pair once, then price the counts in
			// every table.
			var hist [16]int32
			for i := bound[k]; i < bound[k+1]; i += 2 {
				hist[ix[i]<<2|ix[i+1]]++
			}
			for h, c := range hist {
				if c == 0 {
					continue
				}
				v := (h>>2)<<4 | h&3
				for j := first; j < nt; j++ {
					sums[j] += c * int32(pairLen[splitTables[j]][v])
				}
				if maxAll >= 15 {
					sums[nt] += c * int32(pairLen[16][v])
					sums[nt+1] += c * int32(pairLen[24][v])
				}
			}
		}
		for i := bound[k]; i < bound[k+1] && m > 3; i += 2 {
			v := ix[i]<<4 | ix[i+1]
			if m >= 15 {
				var n int32
				v, n = escPair(ix[i], ix[i+1])
				esc += n
			}
			for j := first; j < nt; j++ {
				sums[j] += int32(pairLen[splitTables[j]][v])
			}
			if maxAll >= 15 {
				sums[nt] += int32(pairLen[16][v])
				sums[nt+1] += int32(pairLen[24][v])
			}
		}
		for j := 0; j < first; j++ {
			sums[j] = noTable
		}
		for j := range sums {
			pre[j][k+1] = pre[j][k] + sums[j]
		}
		preEsc[k+1] = preEsc[k] + esc
	}

	// regionCost picks the table for bands [s, e) whose largest value is m.
	regionCost := func(s, e int, m int32) (table, bits int32) {
		if s >= e || m == 0 {
			return 0, 0
		}
		best, bt := int32(noTable), int32(0)
		if m <= 15 {
			// Tables that cannot code m cost noTable: start past them.
			for j := firstSplit[m]; j < nt; j++ {
				if c := pre[j][e] - pre[j][s]; c < best {
					best, bt = c, int32(splitTables[j])
				}
			}
			return bt, best
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
		c16 := pre[nt][e] - pre[nt][s] + esc*int32(linbits[t16])
		c24 := pre[nt+1][e] - pre[nt+1][s] + esc*int32(linbits[t24])
		if c24 < c16 {
			return int32(t24), c24
		}
		return int32(t16), c16
	}

	// The costs the split search needs: region 0 is [0, a) with a up to
	// 16 bands, region 1 [a, b) up to 8 bands, region 2 [b, nb).
	var c0, t0 [17]int32
	var m int32
	for a := 1; a <= min(16, nb); a++ {
		m = max(m, bandMax[a-1])
		t0[a], c0[a] = regionCost(0, a, m)
	}
	var c2, t2 [23]int32
	m = 0
	for b := nb - 1; b >= 0; b-- {
		m = max(m, bandMax[b])
		t2[b], c2[b] = regionCost(b, nb, m)
	}
	best := int32(1 << 30)
	for r0 := 0; r0 < 16; r0++ {
		a := min(r0+1, nb)
		m = 0
		for r1 := 0; r1 < 8 && r0+r1 <= 20; r1++ {
			b := min(r0+r1+2, nb)
			if b > a {
				m = max(m, bandMax[b-1])
			}
			t1, c1 := regionCost(a, b, m)
			if c := c0[a] + c1 + c2[b]; c < best {
				best = c
				g.region0, g.region1 = r0, r1
				g.table = [3]int{int(t0[a]), int(t1), int(t2[b])}
			}
			if b == nb {
				break
			}
		}
		if a == nb {
			break
		}
	}
	return g.withCount1(ix, end, int(best))
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

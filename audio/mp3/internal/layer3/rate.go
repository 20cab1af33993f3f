package layer3

// maxPart23 is the largest part2_3_length (12 bits).
const maxPart23 = 4095

// allocate quantizes every granule and channel of the frame so that their
// Huffman data fits in budget bits. All of them share one global gain, the
// finest that fits: for the squared error, an equal quantizer step across
// granules and channels is best. Bands that step would round to nothing are
// noise-filled as they are quantized (see fillBand), so the search counts
// their bits too. Bits left over stay in the reservoir for
// the next frame (refining single granules with them gained nothing
// measurable).
func (e *Encoder) allocate(budget int) {
	n := e.ngr * e.nch
	var gs [4]*granule
	lo := 0
	for gr := 0; gr < e.ngr; gr++ {
		for ch := 0; ch < e.nch; ch++ {
			g := &e.gr[gr][ch]
			g.prepare()
			g.region0, g.region1 = e.split[ch][0], e.split[ch][1]
			gs[gr*e.nch+ch] = g
			lo = max(lo, g.minGain())
		}
	}
	gs4 := gs[:n]
	if lo == 0 && allSilent(gs4) {
		// Nothing to code at any gain. The last gain is kept: the search
		// after a pause then starts where the speech before it left off.
		for _, g := range gs4 {
			g.gain = e.gain
			g.quantize(e.gain)
			g.countBest(e.sfb)
		}
		return
	}

	// fits counts the bits at gain and reports whether they fit.
	fits := func(gain int) bool {
		total := 0
		for _, g := range gs4 {
			g.quantize(gain)
			b := g.countFixed(e.sfb)
			if b > maxPart23 {
				return false
			}
			total += b
		}
		return total <= budget
	}
	// Smallest fitting gain in [lo, 255], starting near the last one.
	hi := 255
	if lo >= hi {
		lo = hi
	} else {
		g := min(max(e.gain, lo), hi)
		step := 2
		if fits(g) {
			hi = g
			for hi > lo {
				t := max(hi-step, lo)
				if !fits(t) {
					lo = t + 1
					break
				}
				hi = t
				step *= 2
			}
		} else {
			lo = g + 1
			for lo < hi {
				t := min(lo+step, hi)
				if fits(t) {
					hi = t
					break
				}
				lo = t + 1
				step *= 2
			}
		}
		for lo < hi {
			m := (lo + hi) / 2
			if fits(m) {
				hi = m
			} else {
				lo = m + 1
			}
		}
	}
	gain := hi
	e.gain = gain

	total := 0
	for _, g := range gs4 {
		g.gain = gain
		g.quantize(gain)
		total += g.countBest(e.sfb)
	}
	for gr := 0; gr < e.ngr; gr++ {
		for ch := 0; ch < e.nch; ch++ {
			g := &e.gr[gr][ch]
			if g.nz > 0 {
				e.split[ch] = [2]int{g.region0, g.region1}
			}
		}
	}
}

func allSilent(gs []*granule) bool {
	for _, g := range gs {
		if g.nz > 0 {
			return false
		}
	}
	return true
}

// useMS decides whether mid/side coding pays for this frame: it compares
// the bits that a Gaussian model of each band, coded at the last frame's
// quantizer step, needs for left/right and for mid/side.
func (e *Encoder) useMS() bool {
	step := stepSize(e.gain)
	floor := step * step * 0.1
	var lr, ms float64
	for gr := 0; gr < e.ngr; gr++ {
		l, r := &e.gr[gr][0].xr, &e.gr[gr][1].xr
		for b := 0; b < 22; b++ {
			s, t := e.sfb[b], e.sfb[b+1]
			var el, er, em, es float64
			for i := s; i < t; i++ {
				a, c := l[i], r[i]
				el += a * a
				er += c * c
				m, d := a+c, a-c
				em += m * m
				es += d * d
			}
			w := float64(t - s)
			em, es = em/2, es/2
			lr += w * (log2Floor(el/w, floor) + log2Floor(er/w, floor))
			ms += w * (log2Floor(em/w, floor) + log2Floor(es/w, floor))
		}
	}
	return ms < lr
}

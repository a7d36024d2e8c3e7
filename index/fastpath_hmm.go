package index

import (
	_ "unsafe" // go:linkname

	_ "github.com/go-ego/gse/hmm" // hmmProbEmit's package
)

// hmmProbEmit is gse's HMM emission model (jieba's): for each state B, M, E,
// S, the log probability of each character. gse keeps it unexported and
// loads it when a segmenter is initialised (zhdict.Load does), and offers no
// way to read it; hmmCut needs it to run the same model without gse's per
// character maps, sorts and path copies, which made the HMM a fifth of
// govbot's analysis time. TestHMMCutMatchesGse compares hmmCut with gse's
// HMMCut.
//
//go:linkname hmmProbEmit github.com/go-ego/gse/hmm.probEmit
var hmmProbEmit map[byte]map[rune]float64

// The rest of gse's model (hmm/viterbi.go, hmm/prob_trans.go): start and
// transition log probabilities, and the floor of a missing entry.
const (
	hmmMinFloat = -3.14e100

	hmmStartB = -0.26268660809250016
	hmmStartS = -1.4652633398537678

	hmmBE = -0.510825623765990
	hmmBM = -0.916290731874155
	hmmEB = -0.5897149736854513
	hmmES = -0.8085250474669937
	hmmME = -0.33344856811948514
	hmmMM = -1.2603623820268226
	hmmSB = -0.7211965654669841
	hmmSS = -0.6658631448798212
)

// HMM states, in gse's order (B, M, E, S); their bytes break ties as gse's
// sort does.
const (
	hB = iota
	hM
	hE
	hS
)

var hmmStateByte = [4]byte{'B', 'M', 'E', 'S'}

// hmmScratch is hmmCut's working memory, pooled with cutScratch.
type hmmScratch struct {
	runes []rune
	back  [][4]uint8 // back[t][y]: the state at t-1 on the best path to y at t
	state []uint8
}

// hmmCut cuts a run of Han characters into words with gse's HMM, exactly
// as gse's HMMCut(text) does on such a run (its regular expressions then
// hand the whole run to Viterbi), and appends the words' lengths in runes to
// lens. It returns lens unchanged if gse's model is not loaded; the caller
// then uses HMMCut (a fallback counted as fastHMM).
//
// gse's Viterbi keeps the most probable path into every state, choosing
// between the two states that may precede it by probability and, on a tie,
// the greater state byte (its reverse sort); it ends in E or S likewise.
// Keeping back pointers instead of copying paths picks the same path.
func hmmCut(sc *hmmScratch, text string, lens []int) ([]int, bool) {
	em := [4]map[rune]float64{hmmProbEmit['B'], hmmProbEmit['M'], hmmProbEmit['E'], hmmProbEmit['S']}
	if em[hB] == nil || em[hM] == nil || em[hE] == nil || em[hS] == nil {
		return lens, false
	}
	rs := sc.runes[:0]
	for _, r := range text {
		rs = append(rs, r)
	}
	sc.runes = rs
	n := len(rs)
	if n == 0 {
		return lens, true
	}
	emit := func(y int, r rune) float64 {
		if v, ok := em[y][r]; ok {
			return v
		}
		return hmmMinFloat
	}
	back := grow(sc.back, n)
	sc.back = back
	// v[y] is the best path's log probability into state y at t. The sums
	// are written in gse's order, (previous + transition) + emission, so
	// that they round alike.
	var v [4]float64
	v[hB] = emit(hB, rs[0]) + hmmStartB
	v[hM] = emit(hM, rs[0]) + hmmMinFloat
	v[hE] = emit(hE, rs[0]) + hmmMinFloat
	v[hS] = emit(hS, rs[0]) + hmmStartS
	for t := 1; t < n; t++ {
		r := rs[t]
		var nv [4]float64
		// pick returns the better of predecessors a and b (in gse's
		// prevStatus order) with their scores pa and pb.
		pick := func(y, a, b int, pa, pb float64) {
			if pa < pb || pa == pb && hmmStateByte[a] < hmmStateByte[b] {
				nv[y], back[t][y] = pb, uint8(b)
			} else {
				nv[y], back[t][y] = pa, uint8(a)
			}
		}
		e := emit(hB, r)
		pick(hB, hE, hS, v[hE]+hmmEB+e, v[hS]+hmmSB+e)
		e = emit(hM, r)
		pick(hM, hM, hB, v[hM]+hmmMM+e, v[hB]+hmmBM+e)
		e = emit(hE, r)
		pick(hE, hB, hM, v[hB]+hmmBE+e, v[hM]+hmmME+e)
		e = emit(hS, r)
		pick(hS, hS, hE, v[hS]+hmmSS+e, v[hE]+hmmES+e)
		v = nv
	}
	last := hE
	if v[hE] <= v[hS] {
		last = hS
	}
	st := grow(sc.state, n)
	sc.state = st
	st[n-1] = uint8(last)
	for t := n - 1; t > 0; t-- {
		st[t-1] = back[t][st[t]]
	}
	// gse's internalCut: a word from each B to the next E, S alone, and
	// whatever follows the last E or S as one word.
	begin, next := 0, 0
	for i := range n {
		switch st[i] {
		case hB:
			begin = i
		case hE:
			lens = append(lens, i+1-begin)
			next = i + 1
		case hS:
			lens = append(lens, 1)
			next = i + 1
		}
	}
	if next < n {
		lens = append(lens, n-next)
	}
	return lens, true
}

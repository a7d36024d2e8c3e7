package index

import (
	"math"
	"sync/atomic"

	"github.com/go-ego/gse"

	"github.com/govbot/govbot/index/zhdict"
)

// The dictionary fast path: cut walks gse's cedar trie in place through
// zhdict.Walker (which reads cedar's unexported arrays, see
// zhdict/internal/snap/layout.go) and starts most walks from a table of the
// common ideographs' nodes, instead of looking every prefix up with
// gse's Dictionary.Find. When the walker cannot be had (cedar's or gse's
// layout changed) or the tables are not the segmenter's, words falls back
// to Find, counted as fastTrieWalk.

// dictTables are lookup tables of a dictionary, made once it is loaded (no
// word is added to the Segmenter's dictionary after that).
type dictTables struct {
	d *gse.Dictionary
	// logs is the log frequency of each of d's tokens (the snapshot has
	// ~20,000): cut scores every candidate word with them.
	logs []float64
	// firsts caches, for each ideograph of the CJK Unified Ideographs
	// block, the trie node its bytes lead to from the root and the value
	// there (see firstEntry), filled as runes are met: most trie steps of a
	// text are the first rune's of a walk, and the node arrays are too
	// large for the processor's caches, where this table (168 KB) fits.
	firsts []atomic.Uint64
}

// The block of ideographs firsts covers.
const (
	firstLo = 0x4E00
	firstHi = 0x9FFF
)

// firstEntry is a rune's trie node (-1: not in the trie) and the token index
// stored there (-1: none).
type firstEntry struct {
	node, value int32
}

// first returns the entry of the rune r (its UTF-8 bytes) from the table,
// after filling it with walk if needed; ok is false if r is not in the
// table's block.
func (t *dictTables) first(walk zhdict.Walker, r string) (firstEntry, bool) {
	if len(r) != 3 {
		return firstEntry{}, false
	}
	// r is one valid 3-byte UTF-8 sequence (a rune of a run).
	c := rune(r[0]&0x0F)<<12 | rune(r[1]&0x3F)<<6 | rune(r[2]&0x3F)
	if c < firstLo || c > firstHi {
		return firstEntry{}, false
	}
	slot := &t.firsts[c-firstLo]
	// Bit 63 marks a filled slot; node+1 and value+1 fill the low halves.
	if v := slot.Load(); v != 0 {
		return firstEntry{node: int32(uint32(v)) - 1, value: int32(uint32(v>>32)&0x7fffffff) - 1}, true
	}
	e := firstEntry{node: -1, value: -1}
	if id, ok := walk.Step(0, r); ok {
		e.node = int32(id)
		if v, ok := walk.Value(id); ok {
			e.value = int32(v)
		}
	}
	slot.Store(1<<63 | uint64(uint32(e.value+1))<<32 | uint64(uint32(e.node+1)))
	return e, true
}

// trieWalker lists the dictionary words starting at a position of a text.
type trieWalker struct {
	d    *gse.Dictionary
	walk zhdict.Walker
	fast bool // false: look prefixes up with d.Find
	tabs *dictTables
	s    string
}

func newTrieWalker(d *gse.Dictionary, s string) trieWalker {
	w, ok := zhdict.NewWalker(d)
	tw := trieWalker{d: d, walk: w, fast: ok, s: s}
	if t := segTables.Load(); t != nil && t.d == d {
		tw.tabs = t
	}
	return tw
}

// words appends the end (rune index) and log frequency of every dictionary word
// (frequency > 0) that starts at rune k of the text, whose runes start at
// byte offsets bo (plus the text's length), shortest first. It also
// reports whether the trie holds the rune at k at all (as a word or a word's
// beginning), the distinction gse's Find makes with its ok result.
func (w trieWalker) words(bo []int, k int, ends []int32, logfs []float64) ([]int32, []float64, bool) {
	n := len(bo) - 1
	known := false
	if !w.fast || w.tabs == nil {
		fellBack(fastTrieWalk)
		for j := k + 1; j <= n; j++ {
			f, _, ok := w.d.Find([]byte(w.s[bo[k]:bo[j]]))
			if !ok {
				break
			}
			known = true
			if f > 0 {
				ends, logfs = append(ends, int32(j)), append(logfs, math.Log(f))
			}
		}
		return ends, logfs, known
	}
	// Each step continues from the node the previous rune reached, which is
	// what d.Find(prefix) computes from the root; Value then reads the
	// word's token index at that node, as d.Find does. The first rune's
	// node and value come from a table when the rune is a common ideograph.
	logs := w.tabs.logs
	id := 0
	j := k + 1
	if e, ok := w.tabs.first(w.walk, w.s[bo[k]:bo[j]]); ok {
		if e.node < 0 {
			return ends, logfs, false
		}
		known = true
		if e.value >= 0 {
			// A frequency <= 0 has a log of -Inf or NaN: not a word.
			if lf := logs[e.value]; lf > math.Inf(-1) {
				ends, logfs = append(ends, int32(j)), append(logfs, lf)
			}
		}
		id = int(e.node)
		j++
	}
	for ; j <= n; j++ {
		var ok bool
		if id, ok = w.walk.Step(id, w.s[bo[j-1]:bo[j]]); !ok {
			break
		}
		known = true
		if v, ok := w.walk.Value(id); ok {
			if v < len(logs) {
				if lf := logs[v]; lf > math.Inf(-1) {
					ends, logfs = append(ends, int32(j)), append(logfs, lf)
				}
			} else if f := w.d.Tokens[v].Freq(); f > 0 {
				ends, logfs = append(ends, int32(j)), append(logfs, math.Log(f))
			}
		}
	}
	return ends, logfs, known
}

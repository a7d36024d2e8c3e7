// Package snap reads and writes govbot's precompiled gse dictionary snapshot:
// a compact image of a loaded gse dictionary (its cedar double-array trie and
// word frequencies) that Decode turns back into a *gse.Dictionary in a few
// milliseconds, where gse's own loader parses text and inserts word by word
// for about a second.
//
// # Format
//
// All integers are unsigned varints unless noted.
//
//	magic      "GBZD1\n"
//	header     nWords nClasses nPos maxTokenLen size nBases wordsLen
//	           totalFreq (float64 bits, 8 bytes little-endian)
//	pos table  nPos × (len, bytes)
//	classes    nClasses × (freq, posIndex, nTexts)
//	words      nWords × (prefixLen, suffixLen, suffix bytes, class),
//	           front-coded, in byte order (wordsLen bytes in all)
//	bases      nBases × signed varint: base minus the previous base
//
// Words are the trie keys (gse's dictionary words, ASCII lower-cased). Every
// word points at a class, a distinct (frequency, part of speech, text length)
// triple: gse's DAG segmentation reads only a word's frequency and part of
// speech, so words sharing them can share one gse.Token, and the token table
// shrinks from 352,275 entries to a few thousand.
//
// The trie is stored as its shape (implied by the sorted words) plus one base
// per inner node, in depth-first order with children in label order: node
// positions follow (child = base XOR label, as in cedar), so Decode rebuilds
// the very same double array the generator's cedar built, without searching
// for free slots. Free slots are rebuilt into cedar's free lists, so words can
// still be added (AddToken) or removed afterwards.
package snap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/go-ego/gse"
	"github.com/vcaesar/cedar"
)

const magic = "GBZD1\n"

// class is a distinct (frequency, part of speech, text length) triple.
type class struct {
	freq   float64
	pos    string
	nTexts int
}

// Encode writes a snapshot of seg's dictionary. seg must have been loaded
// with gse's default word splitting (AlphaNum, Alpha and Num false) and hold
// only integral word frequencies below 2^53, as gse's own dictionaries do.
// Encode decodes its result and checks it against the trie it encoded, so a
// snapshot it returns is known to load.
func Encode(seg *gse.Segmenter) ([]byte, error) {
	if !layoutOK {
		return nil, errors.New("snap: gse or cedar memory layout differs from the mirrored one; update layout.go")
	}
	if seg.Dict == nil {
		return nil, errors.New("snap: segmenter has no dictionary")
	}
	if seg.AlphaNum || seg.Alpha || seg.Num {
		return nil, errors.New("snap: segmenter does not use gse's default word splitting")
	}
	d := seg.Dict

	type word struct {
		key   []byte
		class int
	}
	classIndex := map[class]int{}
	var classes []class
	var counts []int
	words := make([]word, 0, len(d.Tokens))
	posIndex := map[string]int{}
	var posList []string
	for i := range d.Tokens {
		t := &d.Tokens[i]
		key := []byte(t.Text())
		if len(key) == 0 {
			return nil, fmt.Errorf("snap: token %d has no text", i)
		}
		if f := t.Freq(); f != math.Trunc(f) || f < 0 || f >= 1<<53 {
			return nil, fmt.Errorf("snap: word %q has frequency %v, not an integer in [0, 2^53)", key, f)
		}
		// The word must be reachable under its own key, else gse would
		// never have found this token and neither must we.
		if v, _, err := d.Value(key); err != nil || v != i {
			return nil, fmt.Errorf("snap: word %q does not map to its own token (%d, %v)", key, v, err)
		}
		c := class{freq: t.Freq(), pos: t.Pos(), nTexts: len(seg.SplitTextToWords(key))}
		ci, ok := classIndex[c]
		if !ok {
			ci = len(classes)
			classIndex[c] = ci
			classes = append(classes, c)
			counts = append(counts, 0)
			if _, ok := posIndex[c.pos]; !ok {
				posIndex[c.pos] = len(posList)
				posList = append(posList, c.pos)
			}
		}
		counts[ci]++
		words = append(words, word{key: key, class: ci})
	}

	// Number classes by descending use so that most words need a one-byte
	// class; break ties by value so the output is deterministic.
	order := make([]int, len(classes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		ca, cb := classes[a], classes[b]
		switch {
		case ca.freq != cb.freq:
			if ca.freq < cb.freq {
				return -1
			}
			return 1
		case ca.pos != cb.pos:
			if ca.pos < cb.pos {
				return -1
			}
			return 1
		}
		return ca.nTexts - cb.nTexts
	})
	renumber := make([]int, len(classes))
	sortedClasses := make([]class, len(classes))
	for newID, old := range order {
		renumber[old] = newID
		sortedClasses[newID] = classes[old]
	}
	for i := range words {
		words[i].class = renumber[words[i].class]
	}
	slices.Sort(posList)
	for i, p := range posList {
		posIndex[p] = i
	}

	// Build the trie the snapshot describes: the words in byte order, each
	// mapped to its class, inserted into a fresh cedar trie as gse would.
	slices.SortFunc(words, func(a, b word) int { return bytes.Compare(a.key, b.key) })
	ref := cedar.New()
	for _, w := range words {
		if err := ref.Insert(w.key, w.class); err != nil {
			return nil, fmt.Errorf("snap: insert %q: %w", w.key, err)
		}
	}
	rt := trieOf(ref)

	// Bases of inner nodes in depth-first order, children in label order.
	var bases []int
	var walk func(p int) error
	nLeaves := 0
	walk = func(p int) error {
		bv := rt.array[p].baseV
		if bv >= 0 && p != 0 {
			nLeaves++
			return nil
		}
		base := -(bv + 1)
		bases = append(bases, base)
		c := rt.nInfos[p].child
		if p == 0 {
			// cedar chains the root's children from the root's own
			// sibling field, as if the root were its own terminal
			// child (its base is 0 from the start, so the first
			// insertion takes it for a node with children).
			if base != 0 || c != 0 {
				return fmt.Errorf("snap: trie root has base %d, child %d; want 0, 0", base, c)
			}
			c = rt.nInfos[0].sibling
		}
		for {
			to := base ^ int(c)
			if rt.array[to].check != p {
				return fmt.Errorf("snap: trie node %d: child %d not owned", p, to)
			}
			if err := walk(to); err != nil {
				return err
			}
			next := rt.nInfos[to].sibling
			if next == 0 {
				return nil
			}
			if next <= c {
				return fmt.Errorf("snap: trie node %d: children out of order", p)
			}
			c = next
		}
	}
	if err := walk(0); err != nil {
		return nil, err
	}
	if nLeaves != len(words) {
		return nil, fmt.Errorf("snap: trie has %d leaves for %d words", nLeaves, len(words))
	}

	var out []byte
	out = append(out, magic...)
	var wsec []byte
	var prev []byte
	for _, w := range words {
		p := commonPrefix(prev, w.key)
		wsec = binary.AppendUvarint(wsec, uint64(p))
		wsec = binary.AppendUvarint(wsec, uint64(len(w.key)-p))
		wsec = append(wsec, w.key[p:]...)
		wsec = binary.AppendUvarint(wsec, uint64(w.class))
		prev = w.key
	}
	for _, v := range []int{len(words), len(sortedClasses), len(posList), d.MaxTokenLen(), rt.size, len(bases), len(wsec)} {
		out = binary.AppendUvarint(out, uint64(v))
	}
	out = binary.LittleEndian.AppendUint64(out, math.Float64bits(d.TotalFreq()))
	for _, p := range posList {
		out = binary.AppendUvarint(out, uint64(len(p)))
		out = append(out, p...)
	}
	for _, c := range sortedClasses {
		out = binary.AppendUvarint(out, uint64(c.freq))
		out = binary.AppendUvarint(out, uint64(posIndex[c.pos]))
		out = binary.AppendUvarint(out, uint64(c.nTexts))
	}
	out = append(out, wsec...)
	last := 0
	for _, b := range bases {
		out = binary.AppendVarint(out, int64(b-last))
		last = b
	}

	// Round trip: the decoded trie must be the reference trie, node for node.
	got, err := decodeFast(string(out))
	if err != nil {
		return nil, fmt.Errorf("snap: decode own output: %w", err)
	}
	if err := sameTrie(trieOf(dictOf(got).trie), rt); err != nil {
		return nil, fmt.Errorf("snap: decoded trie differs from the encoded one: %w", err)
	}
	if got.TotalFreq() != d.TotalFreq() || got.MaxTokenLen() != d.MaxTokenLen() {
		return nil, errors.New("snap: decoded totals differ")
	}
	return out, nil
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// sameTrie checks that got holds exactly want's words at the same positions:
// same occupied slots, same base/value and parent of every occupied slot, same
// child and sibling labels, and free-slot counts per block that agree. Free
// list order may differ; it only steers where later insertions go.
func sameTrie(got, want *trie) error {
	if got.size != want.size {
		return fmt.Errorf("size %d, want %d", got.size, want.size)
	}
	if got.Reduced != want.Reduced || got.ordered != want.ordered || got.maxTrial != want.maxTrial {
		return errors.New("trie options differ")
	}
	for i := 0; i < want.size; i++ {
		w, g := want.array[i], got.array[i]
		if i == 0 || w.check >= 0 {
			if g != w {
				return fmt.Errorf("slot %d: %+v, want %+v", i, g, w)
			}
			if wi, gi := want.nInfos[i], got.nInfos[i]; wi != gi && !(w.baseV >= 0 && wi.sibling == gi.sibling) {
				return fmt.Errorf("slot %d: ninfo %+v, want %+v", i, gi, wi)
			}
		} else if g.check >= 0 {
			return fmt.Errorf("slot %d occupied, want free", i)
		}
	}
	for i := 0; i < want.size>>8; i++ {
		if got.blocks[i].num != want.blocks[i].num {
			return fmt.Errorf("block %d: %d free, want %d", i, got.blocks[i].num, want.blocks[i].num)
		}
	}
	return nil
}

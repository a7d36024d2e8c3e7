package snap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"runtime"

	"github.com/go-ego/gse"
	"github.com/vcaesar/cedar"
)

// spareBlocks is how many empty 256-slot blocks Decode leaves after the
// trie, so that words added later (govbot's domain list) find room without
// cedar doubling its arrays, which would copy ~20 MiB and double the memory.
const spareBlocks = 16

// errCorrupt is wrapped by every error about malformed snapshot data.
var errCorrupt = errors.New("snap: corrupt snapshot")

// header is a snapshot's fixed part.
type header struct {
	nWords, nClasses, maxTokenLen, size, nBases int
	totalFreq                                   float64
	pos                                         []string
	classes                                     []class
	words, bases                                string // the two sections
}

// reader reads varints from a string in place.
type reader struct {
	s   string
	off int
	err bool
}

func (r *reader) uvarint() int {
	var x uint64
	var shift uint
	for r.off < len(r.s) && shift < 63 {
		b := r.s[r.off]
		r.off++
		x |= uint64(b&0x7f) << shift
		if b < 0x80 {
			if x > math.MaxInt64 {
				break
			}
			return int(x)
		}
		shift += 7
	}
	r.err = true
	return 0
}

func (r *reader) bytes(n int) string {
	if n < 0 || n > len(r.s)-r.off {
		r.err = true
		return ""
	}
	s := r.s[r.off : r.off+n]
	r.off += n
	return s
}

func parseHeader(data string) (*header, error) {
	if len(data) < len(magic) || data[:len(magic)] != magic {
		return nil, fmt.Errorf("%w: bad magic", errCorrupt)
	}
	r := &reader{s: data, off: len(magic)}
	h := &header{}
	var nPos, wordsLen int
	for _, p := range []*int{&h.nWords, &h.nClasses, &nPos, &h.maxTokenLen, &h.size, &h.nBases, &wordsLen} {
		*p = r.uvarint()
	}
	if r.err || h.size%256 != 0 || h.size == 0 || nPos > 1<<16 || h.nClasses > 1<<24 {
		return nil, fmt.Errorf("%w: bad header", errCorrupt)
	}
	tf := r.bytes(8)
	if r.err {
		return nil, fmt.Errorf("%w: short header", errCorrupt)
	}
	h.totalFreq = math.Float64frombits(binary.LittleEndian.Uint64([]byte(tf)))
	h.pos = make([]string, nPos)
	for i := range h.pos {
		h.pos[i] = r.bytes(r.uvarint())
	}
	h.classes = make([]class, h.nClasses)
	for i := range h.classes {
		c := &h.classes[i]
		c.freq = float64(r.uvarint())
		if p := r.uvarint(); p < nPos {
			c.pos = h.pos[p]
		} else {
			r.err = true
		}
		c.nTexts = r.uvarint()
		if c.nTexts > h.maxTokenLen {
			r.err = true
		}
	}
	h.words = r.bytes(wordsLen)
	h.bases = r.s[r.off:]
	if r.err {
		return nil, fmt.Errorf("%w: bad tables", errCorrupt)
	}
	return h, nil
}

// Decode builds the dictionary a snapshot describes. The result is
// independent of data's memory (data is only read) and of other Decode
// results, and can be extended with AddToken.
//
// Words share tokens by class (see the package comment): a dictionary token's
// Freq and Pos are right but its Text is empty, so gse's DAG modes (Cut and
// CutSearch with the hmm flag, CutAll, CutDAG, Find, Value) behave exactly as
// on gse's own dictionary, while the shortest-path modes that print token
// texts (Segment, Slice, Pos, Cut and CutSearch without the hmm flag) do not.
func Decode(data string) (*gse.Dictionary, error) {
	if layoutOK {
		return decodeFast(data)
	}
	return decodeSlow(data)
}

// frame is one node on the path of the word being decoded.
type frame struct {
	pos, base int
	last      byte // label of the node's last child so far
	hasBase   bool
}

func decodeFast(data string) (*gse.Dictionary, error) {
	h, err := parseHeader(data)
	if err != nil {
		return nil, err
	}
	capacity := h.size + spareBlocks*256
	array, freeArray := offHeap[node](capacity)
	nInfos, freeInfos := offHeap[ninfo](capacity)
	release := func(struct{}) { freeArray(); freeInfos() }
	used := make([]uint64, h.size/64)

	if err := placeWords(h, array, nInfos, used); err != nil {
		release(struct{}{})
		return nil, err
	}

	// Free slots: one ring per block, as cedar keeps them, and the blocks in
	// cedar's Full (no free slot), Closed (one) and Open (more) lists.
	nBlocks := capacity >> 8
	blocks := make([]block, nBlocks)
	t := &trie{
		Reduced:  true,
		array:    array,
		nInfos:   nInfos,
		blocks:   blocks,
		capacity: capacity,
		size:     h.size,
		ordered:  true,
		maxTrial: 1,
	}
	for i := range t.reject {
		t.reject[i] = i + 1
	}
	var free [256]int
	for bi := 0; bi < h.size>>8; bi++ {
		n := 0
		for w := 0; w < 4; w++ {
			m := ^used[bi*4+w]
			for m != 0 {
				free[n] = bi<<8 | w<<6 | bits.TrailingZeros64(m)
				n++
				m &= m - 1
			}
		}
		b := &blocks[bi]
		b.reject = 257
		b.num = n
		if bi == 0 {
			// cedar counts the root's slot as free in block 0 (its
			// num starts at 256 with 255 slots on the ring).
			b.num++
		}
		if n == 0 {
			b.eHead = bi << 8
		} else {
			b.eHead = free[0]
			for k := 0; k < n; k++ {
				array[free[k]] = node{baseV: -free[(k+n-1)%n], check: -free[(k+1)%n]}
			}
		}
		if bi == 0 {
			continue // block 0 is never on a list
		}
		switch {
		case n == 0:
			pushBlock(t, bi, &t.blocksHeadFull)
		case n == 1:
			pushBlock(t, bi, &t.blocksHeadClosed)
		default:
			pushBlock(t, bi, &t.blocksHeadOpen)
		}
	}

	c := new(cedar.Cedar)
	*trieOf(c) = *t
	// The arrays are unmapped once the trie is unreachable. Should cedar
	// outgrow them (words added), it copies them to the heap and the
	// mapping stays unused until then.
	runtime.AddCleanup(c, release, struct{}{})

	tokens := make([]gse.Token, h.nClasses, h.nClasses+1024)
	tv := tokensOf(tokens)
	texts := make([]gse.Text, h.maxTokenLen)
	logTotal := float32(math.Log2(h.totalFreq))
	for i, cl := range h.classes {
		tv[i] = token{
			text:     texts[:cl.nTexts:cl.nTexts],
			freq:     cl.freq,
			pos:      cl.pos,
			distance: logTotal - float32(math.Log2(cl.freq)),
		}
	}
	d := gse.NewDict()
	*dictOf(d) = dict{trie: c, maxTokenLen: h.maxTokenLen, Tokens: tokens, totalFreq: h.totalFreq}
	return d, nil
}

// placeWords lays out the trie: it walks the sorted words, creating each
// word's nodes below the path it shares with the previous word, at
// base XOR label of their parent, and records parents (check), bases, values
// and the child and sibling labels. It marks occupied slots in used.
//
// It is the hot loop of Decode (1.25 million nodes), hence hand-inlined
// varint reads and no closures.
func placeWords(h *header, array []node, nInfos []ninfo, used []uint64) error {
	words, wo := h.words, 0
	bases, bo := h.bases, 0
	size := h.size
	uv := func(s string, o *int) int {
		if *o < len(s) && s[*o] < 0x80 {
			v := int(s[*o])
			*o++
			return v
		}
		r := reader{s: s, off: *o}
		v := r.uvarint()
		if r.err {
			return -1
		}
		*o = r.off
		return v
	}
	lastBase := 0
	// newBase reads the next inner node's base.
	newBase := func() int {
		ux := uv(bases, &bo)
		d := ux >> 1
		if ux&1 != 0 {
			d = ^d
		}
		lastBase += d
		return lastBase
	}

	path := make([]frame, 1, 64)
	path[0] = frame{pos: 0}
	used[0] |= 1
	array[0].check = -1

	// Read one word ahead: a word that is a prefix of the next one ends in a
	// terminal (label 0) child, as cedar's reduced trie stores it.
	nextPrefix := uv(words, &wo)
	for i := 0; i < h.nWords; i++ {
		p := nextPrefix
		n := uv(words, &wo)
		if p < 0 || p >= len(path) || n <= 0 || n > len(words)-wo {
			return fmt.Errorf("%w: word %d", errCorrupt, i)
		}
		suffix := words[wo : wo+n]
		wo += n
		cls := uv(words, &wo)
		if i+1 < h.nWords {
			nextPrefix = uv(words, &wo)
		} else {
			nextPrefix = -1
		}
		if cls < 0 || cls >= h.nClasses {
			return fmt.Errorf("%w: word %d", errCorrupt, i)
		}
		term := nextPrefix == p+n // the next word extends this one
		path = path[:p+1]
		for j := 0; j <= n; j++ {
			var label byte
			if j < n {
				label = suffix[j]
			} else if !term {
				break
			}
			f := &path[len(path)-1]
			if f.hasBase {
				nInfos[f.base^int(f.last)].sibling = label
			} else {
				f.base, f.hasBase = newBase(), true
				array[f.pos].baseV = -(f.base + 1)
				if f.pos == 0 {
					// The root chains its children from its own
					// sibling field (see Encode); its base is 0.
					if f.base != 0 {
						return fmt.Errorf("%w: root base %d", errCorrupt, f.base)
					}
					nInfos[0].sibling = label
				} else {
					nInfos[f.pos].child = label
				}
			}
			f.last = label
			to := f.base ^ int(label)
			if uint(to) >= uint(size) || used[to>>6]&(1<<(to&63)) != 0 {
				return fmt.Errorf("%w: word %d does not fit", errCorrupt, i)
			}
			used[to>>6] |= 1 << (to & 63)
			array[to].check = f.pos
			if j < n {
				path = append(path, frame{pos: to})
			} else {
				array[to].baseV = cls // terminal child
			}
		}
		if !term {
			array[path[len(path)-1].pos].baseV = cls
		}
	}
	if wo != len(words) || bo != len(bases) {
		return fmt.Errorf("%w: trailing data", errCorrupt)
	}
	return nil
}

// pushBlock appends block idx to the circular list whose head is *head, as
// cedar's pushBlock does.
func pushBlock(t *trie, idx int, head *int) {
	b := &t.blocks[idx]
	if *head == 0 {
		*head, b.prev, b.next = idx, idx, idx
		return
	}
	tail := t.blocks[*head].prev
	b.prev, b.next = tail, *head
	t.blocks[tail].next = idx
	t.blocks[*head].prev = idx
}

// decodeSlow builds the dictionary through gse's exported API, one AddToken
// per word, for when the mirrored layouts do not match the linked gse and
// cedar. It is some ten times slower than decodeFast and gives every word its
// own token, but segments identically.
func decodeSlow(data string) (*gse.Dictionary, error) {
	h, err := parseHeader(data)
	if err != nil {
		return nil, err
	}
	var seg gse.Segmenter
	d := gse.NewDict()
	wr := &reader{s: h.words}
	var word []byte
	for i := 0; i < h.nWords; i++ {
		p := wr.uvarint()
		suffix := wr.bytes(wr.uvarint())
		cls := wr.uvarint()
		if wr.err || p > len(word) || cls >= h.nClasses {
			return nil, fmt.Errorf("%w: word %d", errCorrupt, i)
		}
		word = append(word[:p], suffix...)
		c := h.classes[cls]
		if err := d.AddToken(seg.ToToken(string(word), c.freq, c.pos)); err != nil {
			return nil, fmt.Errorf("snap: add %q: %w", word, err)
		}
	}
	if d.TotalFreq() != h.totalFreq {
		return nil, fmt.Errorf("%w: total frequency %v, want %v", errCorrupt, d.TotalFreq(), h.totalFreq)
	}
	return d, nil
}

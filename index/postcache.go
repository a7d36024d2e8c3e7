package index

import (
	"encoding/binary"
	"math"
	"slices"
	"sort"
	"sync"
	"unsafe"

	bindex "github.com/blevesearch/bleve_index_api"
)

// cachedTerm is a frequent term's postings, decoded: what sumQuery scores
// them by, in about 2 bytes a posting. A posting's score depends only on its
// frequency and its field's length, and a term's postings have a few
// thousand pairs of them at most: each pair is a class, whose score before
// the clause's weight (base) is computed once for the cache, where a
// posting's was computed anew in every search (a fifth of a question's
// time over 10,000 reports, with three divisions a posting).
//
// The postings are a stream: for each, its document number less the
// previous one's (a uvarint: one byte for a frequent term) and its class (a
// byte; the classes are numbered most used first, and past the 255th a
// byte escapeClass and two more). Every skipEvery postings a skip gives
// where a posting starts, so that a restricted search finds its ranges'
// postings without reading the others. At 8 bytes a posting the bench's
// frequent words over 10,000 replicated reports took 92 MiB, and a 32 MiB
// cache, the questions asked in turn, kept none of them.
type cachedTerm struct {
	n      int // postings
	stream []byte
	skips  []termSkip
	// classes are the classes' frequencies and lengths, as packFL packs
	// them.
	classes []uint32
	// base is each class's score before the clause's weight, for the
	// scoring below.
	base    []float64
	scoring termScoring
}

// termSkip is where posting k·skipEvery of a cachedTerm starts: its
// document, the previous posting's, and its offset in the stream.
type termSkip struct{ first, prev, off uint32 }

const (
	skipEvery   = 128
	escapeClass = 255 // the classes numbered in one byte are 0 to 254
)

// size is the bytes t takes.
func (t *cachedTerm) size() int {
	return len(t.stream) + len(t.skips)*int(unsafe.Sizeof(termSkip{})) + len(t.classes)*(4+8) + int(unsafe.Sizeof(*t))
}

// estimatedPostingSize is the bytes a cached posting is taken to need before
// it is decoded (whether the cache would take the term in): two for most,
// more for sparse terms and rare classes.
const estimatedPostingSize = 3

// encodeTerm returns the cached form of postings docs (in order) of classes
// cls, classes being the classes' packed frequencies and lengths.
func encodeTerm(docs []uint32, cls []uint16, classes []uint32) *cachedTerm {
	// Number the classes most used first.
	uses := make([]int, len(classes))
	for _, k := range cls {
		uses[k]++
	}
	order := make([]uint16, len(classes))
	for i := range order {
		order[i] = uint16(i)
	}
	slices.SortStableFunc(order, func(a, b uint16) int { return uses[b] - uses[a] })
	renumber := make([]uint16, len(classes))
	t := &cachedTerm{n: len(docs), classes: make([]uint32, len(classes))}
	for k, old := range order {
		renumber[old] = uint16(k)
		t.classes[k] = classes[old]
	}
	stream := make([]byte, 0, 2*len(docs)+len(docs)/8)
	var prev uint32
	for i, doc := range docs {
		if i%skipEvery == 0 {
			t.skips = append(t.skips, termSkip{doc, prev, uint32(len(stream))})
		}
		stream = binary.AppendUvarint(stream, uint64(doc-prev))
		if k := renumber[cls[i]]; k < escapeClass {
			stream = append(stream, byte(k))
		} else {
			stream = append(stream, escapeClass)
			stream = binary.LittleEndian.AppendUint16(stream, k)
		}
		prev = doc
	}
	t.stream = slices.Clip(stream)
	return t
}

// termCursor reads a cachedTerm's postings in order.
type termCursor struct {
	t     *cachedTerm
	off   int    // where the next posting starts in the stream
	k     int    // the next posting's number
	doc   uint64 // the posting read last: its document and class
	class uint16
}

// next reads the next posting; false when there are no more. collectCached
// has this body inlined in its loop over a whole term: the compiler does not
// inline it (cost 164), and a call a posting made large searches 10–20 %
// slower (a non-inlined shared reader measured 1.29 → 1.56 ms for half a
// million postings in BenchmarkCachedTerm).
func (c *termCursor) next() bool {
	p := c.t.stream
	if c.off >= len(p) {
		return false
	}
	if d := p[c.off]; d < 0x80 {
		c.doc += uint64(d)
		c.off++
	} else {
		d, n := binary.Uvarint(p[c.off:])
		c.doc += d
		c.off += n
	}
	k := uint16(p[c.off])
	c.off++
	if k == escapeClass {
		k = binary.LittleEndian.Uint16(p[c.off:])
		c.off += 2
	}
	c.class = k
	c.k++
	return true
}

// seek reads on to the first posting of document target or after, by way of
// the skips past the current posting's block; false when there is none.
// The posting read last is before target.
func (c *termCursor) seek(target uint64) bool {
	sk := c.t.skips
	cur := (c.k - 1) / skipEvery // the block of the posting read last
	if cur+1 < len(sk) && uint64(sk[cur+1].first) <= target {
		// The last block starting at or before target: galloping from
		// the current one (a scope's ranges are often near one another),
		// then a binary search.
		step := 1
		for cur+2*step < len(sk) && uint64(sk[cur+2*step].first) <= target {
			step *= 2
		}
		rest := sk[cur+step+1 : min(cur+2*step+1, len(sk))]
		b := cur + step + sort.Search(len(rest), func(i int) bool { return uint64(rest[i].first) > target })
		c.off, c.doc, c.k = int(sk[b].off), uint64(sk[b].prev), b*skipEvery
	}
	for c.next() {
		if c.doc >= target {
			return true
		}
	}
	return false
}

// termScoring is what a clause's scores depend on besides its weight.
type termScoring struct {
	idf, avgLen float64 // avgLen > 0 for BM25
}

// lengthBits is how many bits of a packed frequency and length hold the
// length.
const lengthBits = 24

// packFL packs a posting's frequency and field length into a class key;
// ok is false when they do not fit.
func packFL(freq, length uint64) (uint32, bool) {
	if freq == 0 || freq >= 1<<(32-lengthBits) || length >= 1<<lengthBits {
		return 0, false
	}
	return uint32(freq)<<lengthBits | uint32(length), true
}

func unpackFL(fl uint32) (freq, length uint32) { return fl >> lengthBits, fl & (1<<lengthBits - 1) }

// bases returns the classes' scores before weight as clause c scores them.
func (t *cachedTerm) bases(c *sumClauseState) []float64 {
	if t.base != nil && t.scoring == c.scoring() {
		return t.base
	}
	base := make([]float64, len(t.classes))
	for i, fl := range t.classes {
		freq, n := unpackFL(fl)
		base[i] = c.baseScore(uint64(freq), lengthNorm(n))
	}
	return base
}

// classifier numbers a term's (frequency, length) classes as its postings
// are decoded (small ones through a table, the rest a map), and holds the
// postings until they are encoded.
type classifier struct {
	small   []uint32 // by smallClass: class+1; 0 for none yet
	large   map[uint32]uint16
	classes []uint32
	docs    []uint32
	cls     []uint16
}

const (
	smallFreqBits   = 4
	smallLengthBits = 10
)

var classifiers = sync.Pool{New: func() any {
	return &classifier{small: make([]uint32, 1<<(smallFreqBits+smallLengthBits))}
}}

func smallClass(fl uint32) (int, bool) {
	freq, n := unpackFL(fl)
	if freq >= 1<<smallFreqBits || n >= 1<<smallLengthBits {
		return 0, false
	}
	return int(freq)<<smallLengthBits | int(n), true
}

// class returns fl's class, and whether it is new; ok is false past the
// classes a uint16 numbers.
func (c *classifier) class(fl uint32) (k uint16, added, ok bool) {
	i, small := smallClass(fl)
	if small {
		if k := c.small[i]; k != 0 {
			return uint16(k - 1), false, true
		}
	} else if k, ok := c.large[fl]; ok {
		return k, false, true
	}
	n := len(c.classes)
	if n > math.MaxUint16 {
		return 0, false, false
	}
	c.classes = append(c.classes, fl)
	if small {
		c.small[i] = uint32(n + 1)
	} else {
		if c.large == nil {
			c.large = make(map[uint32]uint16)
		}
		c.large[fl] = uint16(n)
	}
	return uint16(n), true, true
}

// reset empties c for another term.
func (c *classifier) reset() {
	for _, fl := range c.classes {
		if i, ok := smallClass(fl); ok {
			c.small[i] = 0
		}
	}
	c.classes, c.large = c.classes[:0], nil
	c.docs, c.cls = c.docs[:0], c.cls[:0]
}

// lengthNorm is zap's norm of a field of length n (zapx Posting.Norm):
// decode keeps a term's postings only when every posting's norm is this.
func lengthNorm(n uint32) float64 {
	if n < uint32(len(lengthNorms)) {
		return lengthNorms[n]
	}
	return computeNorm(n)
}

func computeNorm(n uint32) float64 { return float64(float32(1.0 / math.Sqrt(float64(n)))) }

// lengthNorms are the norms of the lengths most paragraphs have, computed
// once: a square root per posting was a twentieth of a search over 10,000
// reports.
var lengthNorms = func() (t [4096]float64) {
	for n := range t {
		t[n] = computeNorm(uint32(n))
	}
	return t
}()

// postingsCache keeps the decoded postings of a snapshot's frequent terms
// (at least cacheMinPostings documents) within a bound
// (DefaultPostingsCacheBytes): the most recently decoded, and of the
// others those asked for most (tinyLFU). Questions share their common
// words (增长, 生产总值, 地区, 年): decoding those postings from zap's chunks
// (roaring containers, varint frequencies and norms) was half of a search
// over 1,000 reports, where reading them from the cache is a few
// nanoseconds a posting. Document numbers hold only within a snapshot, so
// a new snapshot empties the cache. The zero value is an empty cache; a
// nil one caches nothing.
type postingsCache struct {
	mu      sync.Mutex
	snap    bindex.IndexReader // the snapshot of the entries; compared, never used
	entries tinyLFU[string, *cachedTerm]
	// limit bounds the cache in bytes; 0 means DefaultPostingsCacheBytes.
	limit int
}

// cacheMinPostings is the least document frequency of a cached term:
// shorter postings cost little to decode and would crowd the cache.
// Tests lower it.
var cacheMinPostings uint64 = 2048

// DefaultPostingsCacheBytes bounds an index's postings cache unless
// Options.PostingsCacheBytes says otherwise. Over 10,000 replicated reports
// the frequent words of the bench's 232 questions are 12 million postings:
// 92 MiB at the 8 bytes a posting they took before the stream, ~27 MiB
// now, and 32 MiB (against 16) took the bench's p50 from 5.2 to 3.6 ms
// even then. Over 1,000 reports, an 8 MiB bound had the questions, asked
// in turn, evict each other's words and decode them again (slower than no
// cache).
var DefaultPostingsCacheBytes = 32 << 20

func (c *postingsCache) max() int {
	if c.limit > 0 {
		return c.limit
	}
	return DefaultPostingsCacheBytes
}

// holds reports whether the cache keeps an entry of size bytes: none
// larger than a quarter of it, so that one word does not evict all others.
func (c *postingsCache) holds(size int) bool { return size <= c.max()/4 }

func postingsKey(field, term string) string { return field + "\x00" + term }

// get returns the cached postings of key in snap.
func (c *postingsCache) get(snap bindex.IndexReader, key string) (*cachedTerm, bool) {
	if c == nil || snap == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != snap {
		return nil, false
	}
	return c.entries.get(key)
}

// put caches t as key's postings in snap.
func (c *postingsCache) put(snap bindex.IndexReader, key string, t *cachedTerm) {
	size := t.size() + len(key)
	if c == nil || snap == nil || !c.holds(size) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != snap {
		c.snap = snap
		c.entries.reset()
	}
	if c.entries.has(key) {
		return // a concurrent search decoded it too
	}
	c.entries.add(key, t, int64(size), int64(c.max()))
}

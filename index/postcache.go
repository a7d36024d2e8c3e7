package index

import (
	"math"
	"sync"

	bindex "github.com/blevesearch/bleve_index_api"
)

// cachedTerm is a frequent term's postings, decoded: what sumQuery scores
// them by, in 6 bytes a posting. A posting's score depends only on its
// frequency and its field's length, and a term's postings have a few
// thousand pairs of them at most: each pair is a class, whose score before
// the clause's weight (base) is computed once for the cache, where a
// posting's was computed anew in every search (a fifth of a question's
// time over 10,000 reports, with three divisions a posting).
type cachedTerm struct {
	docs  []uint32 // document numbers in the snapshot, in order
	class []uint16 // by posting: its class
	// classes are the classes' frequencies and lengths, as packFL packs
	// them.
	classes []uint32
	// base is each class's score before the clause's weight, for the
	// scoring below.
	base    []float64
	scoring termScoring
}

// termScoring is what a clause's scores depend on besides its weight.
type termScoring struct {
	idf, avgLen float64 // avgLen > 0 for BM25
}

// cachedTermSize is the bytes a cached term of n postings and k classes
// takes.
func cachedTermSize(n, k int) int { return n*cachedPostingSize + k*(4+8) }

// cachedPostingSize is the bytes a cached posting takes: its document
// number and its class.
const cachedPostingSize = 6

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
// are decoded: small ones through a table, the rest a map.
type classifier struct {
	small   []uint32 // by smallClass: class+1; 0 for none yet
	large   map[uint32]uint16
	classes []uint32
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

// reset empties c for another term, handing back its classes.
func (c *classifier) reset() []uint32 {
	for _, fl := range c.classes {
		if i, ok := smallClass(fl); ok {
			c.small[i] = 0
		}
	}
	classes := c.classes
	c.classes, c.large = nil, nil
	return classes
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
// (at least cacheMinPostings documents), least recently used dropped first
// beyond its bound (DefaultPostingsCacheBytes). Questions share their common words (增长,
// 生产总值, 地区, 年): decoding those postings from zap's chunks (roaring
// containers, varint frequencies and norms) was half of a search over
// 1,000 reports, where reading them from an array is a few nanoseconds a
// posting. Document numbers hold only within a snapshot, so a new
// snapshot empties the cache. The zero value is an empty cache; a nil one
// caches nothing.
type postingsCache struct {
	mu      sync.Mutex
	snap    bindex.IndexReader // the snapshot of the entries; compared, never used
	entries sizedLRU[string, *cachedTerm]
	// limit bounds the cache in bytes; 0 means DefaultPostingsCacheBytes.
	limit int
}

// cacheMinPostings is the least document frequency of a cached term:
// shorter postings cost little to decode and would crowd the cache.
// Tests lower it.
var cacheMinPostings uint64 = 2048

// DefaultPostingsCacheBytes bounds an index's postings cache unless
// Options.PostingsCacheBytes says otherwise. Over the shared corpus the frequent
// words of the bench's 159 questions take under 1 MiB (its longest
// postings, 年, are 11,000 paragraphs: 176 KB); over 1,000 reports 9 MiB,
// where an 8 MiB bound had the questions, asked in turn, evict each
// other's words and decode them again (slower than no cache). Over 10,000
// replicated reports 32 MiB (four million postings of 8 bytes) took the
// bench's p50 from 5.2 to 3.6 ms against 16 MiB.
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
	size := cachedTermSize(len(t.docs), len(t.classes)) + len(key)
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
	c.entries.add(key, t, int64(size))
	c.entries.evict(int64(c.max()), 0)
}

package index

import (
	"math"
	"sync"

	bindex "github.com/blevesearch/bleve_index_api"
)

// cachedPosting is one posting of a frequent term, decoded: what
// sumQuery scores it by, in 8 bytes (at 16, the norm and length apart,
// half as many postings fitted the cache).
type cachedPosting struct {
	doc uint32 // document number in the snapshot
	// fl holds the term frequency (the top 8 bits) and the field's
	// length (the low lengthBits), from which zap computes the norm.
	fl uint32
}

// lengthBits is how many bits of cachedPosting.fl hold the length.
const lengthBits = 24

// newCachedPosting returns the cached form of a posting of document doc;
// ok is false when its frequency or length does not fit.
func newCachedPosting(doc uint32, freq, length uint64) (cachedPosting, bool) {
	if freq == 0 || freq >= 1<<(32-lengthBits) || length >= 1<<lengthBits {
		return cachedPosting{}, false
	}
	return cachedPosting{doc, uint32(freq)<<lengthBits | uint32(length)}, true
}

func (p *cachedPosting) freq() uint32   { return p.fl >> lengthBits }
func (p *cachedPosting) length() uint32 { return p.fl & (1<<lengthBits - 1) }

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
	entries sizedLRU[string, []cachedPosting]
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

const cachedPostingSize = 8

// holds reports whether the cache keeps an entry of size bytes: none
// larger than a quarter of it, so that one word does not evict all others.
func (c *postingsCache) holds(size int) bool { return size <= c.max()/4 }

func postingsKey(field, term string) string { return field + "\x00" + term }

// get returns the cached postings of key in snap.
func (c *postingsCache) get(snap bindex.IndexReader, key string) ([]cachedPosting, bool) {
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

// put caches posts as key's postings in snap.
func (c *postingsCache) put(snap bindex.IndexReader, key string, posts []cachedPosting) {
	size := len(posts)*cachedPostingSize + len(key)
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
	c.entries.add(key, posts, int64(size))
	c.entries.evict(int64(c.max()), 0)
}

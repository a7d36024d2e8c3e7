package index

import "sync"

// DefaultReportCacheBytes bounds the parsed-report cache of an index opened
// from a data directory unless Options.ReportCacheBytes says otherwise. A
// report, or a part of it (its file's head, a paragraph: see reportfile.go),
// costs about its encoded size in memory (see reportCost): the shared
// corpus's 117 reports are ~25 MB of JSON, a nationwide corpus of 35,000
// some 7 GB, of which a server keeps only the parts recent answers came from.
// An answer reads a few paragraphs of each of up to a hundred reports, and
// the cache keeps those paragraphs alone, not the chunks they were decoded
// from, so 48 MiB holds the paragraphs of thousands of answers: over 1,000
// reports the bench's answers took p50 1.0 ms instead of 4.4 ms with whole
// chunks cached. Over 10,000 replicated reports the bench's 232 questions,
// asked in turn, read ~40 MB of paragraphs: with 32 MiB every round read
// them all again (p50 14 ms, 48 MiB: 5 ms), and a serve-like process stays
// at ~340 MiB after 2,000 questions (docs/performance.md, 2026-12-03).
var DefaultReportCacheBytes int64 = 48 << 20

// reportCache keeps parsed reports and parts of them (see cacheKey), least
// recently used dropped first
// beyond limit bytes. A cache with a negative limit never drops anything:
// an in-memory index, whose reports live nowhere else. The zero value is an
// empty cache bounded by DefaultReportCacheBytes.
type reportCache struct {
	mu      sync.Mutex
	entries sizedLRU[cacheKey, any] // *loadedReport, *openHead, noHead or *corpus.Paragraph
	limit   int64
}

func (c *reportCache) max() int64 {
	if c.limit != 0 {
		return c.limit
	}
	return DefaultReportCacheBytes
}

// get returns what is cached under key, or nil, and marks it recently used.
func (c *reportCache) get(key cacheKey) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, _ := c.entries.get(key)
	return v
}

// put caches v under key at cost bytes, unless something is cached under
// key already, and returns what is cached. What was just put stays even when
// it alone exceeds the bound, until the next put.
func (c *reportCache) put(key cacheKey, v any, cost int64) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries.get(key); ok {
		return old
	}
	c.entries.add(key, v, cost)
	if limit := c.max(); limit > 0 {
		c.entries.evict(limit, 1)
	}
	return v
}

// drop forgets everything cached of report id.
func (c *reportCache) drop(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.removeIf(func(key cacheKey) bool { return key.id == id })
}

// size returns the number of cached reports and parts, and their cost.
func (c *reportCache) size() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries.len(), c.entries.bytes
}

// reportCost estimates the memory a parsed report takes from its JSON
// encoding's size: the strings it holds are about that, and the paragraph
// lookup table adds an entry or two per paragraph.
func reportCost(jsonBytes int, paragraphs int) int64 {
	const perParagraph = 2 * 48 // two map entries (string header, int, bucket share)
	return int64(jsonBytes) + int64(paragraphs)*perParagraph
}

package index

import (
	"context"
	"crypto/sha256"
	"errors"
	"math"
	bits64 "math/bits"
	"sort"
	"sync"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// scopeQuery matches root's hits in the paragraphs of reports, each scored
// as by root alone. It is a bleve filter whose membership test is a bitset
// of the reports' paragraphs, read once from their postings, where bleve's
// filter steps a disjunction of one term per report for every hit (over
// the national reports of a corpus replicated to 1,000 reports, 290 report
// terms). Searches restrict with sumQuery's ranges; this serves when
// sumQuery falls back to bleve's disjunction.
type scopeQuery struct {
	root    query.Query
	reports []string
	sets    *docSetCache
}

// Searcher implements query.Query.
func (q *scopeQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	in, ok, err := q.sets.get(ctx, r, q.reports)
	if err != nil {
		return nil, err
	}
	if !ok {
		// Not scorch's numeric document IDs: bleve's own filter.
		return q.filtered().Searcher(ctx, r, m, opts)
	}
	s, err := q.root.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return searcher.NewFilteringSearcher(ctx, s, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return len(d.IndexInternalID) == 8 && in.has(d.IndexInternalID.Value())
	}), nil
}

// filtered is the same restriction with bleve's filter.
func (q *scopeQuery) filtered() query.Query {
	rs := make([]query.Query, 0, len(q.reports))
	for _, id := range q.reports {
		rq := query.NewTermQuery(id)
		rq.SetField(fieldReport)
		rs = append(rs, rq)
	}
	bq := query.NewBooleanQuery([]query.Query{q.root}, nil, nil)
	bq.AddFilter(query.NewDisjunctionQuery(rs))
	return bq
}

// bitset is a set of document numbers.
type bitset []uint64

func (b *bitset) add(n uint64) {
	w := int(n / 64)
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w+1-len(*b))...)
	}
	(*b)[w] |= 1 << (n % 64)
}

func (b bitset) has(n uint64) bool {
	w := n / 64
	return w < uint64(len(b)) && b[w]&(1<<(n%64)) != 0
}

// docRange is the document numbers from start to end, end excluded.
type docRange struct{ start, end uint64 }

// ranges returns b's runs of consecutive numbers, in order.
func (b bitset) ranges() []docRange {
	var out []docRange
	for w, bits := range b {
		for bits != 0 {
			lo := uint64(bits64.TrailingZeros64(bits))
			run := uint64(bits64.TrailingZeros64(^(bits >> lo))) // 64 when the run reaches the word's end
			start := uint64(w)*64 + lo
			if n := len(out); n > 0 && out[n-1].end == start {
				out[n-1].end = start + run
			} else {
				out = append(out, docRange{start, start + run})
			}
			if lo+run >= 64 {
				break
			}
			bits &^= (1<<run - 1) << lo
		}
	}
	return out
}

// tapQuery is inner, and on the way collects, for each of subsets, the best
// hits among its reports' paragraphs: what inner restricted to them would
// find, from the same pass over the postings. Scores are inner's; ties go to
// the hit seen first, as in bleve's collector.
type tapQuery struct {
	inner   query.Query
	sets    *docSetCache
	subsets []*subsetTop
	// err is set when reading a subset's hits' IDs failed.
	err error
}

// subsetTop is one subset's best hits, best first.
type subsetTop struct {
	reports []string
	size    int
	in      docNums
	top     []tapHit // at most size, best first
	found   []scored // top with the paragraph IDs, once the search is done
}

type tapHit struct {
	score float64
	seen  uint64
	doc   uint64
}

// Searcher implements query.Query.
func (q *tapQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	for _, st := range q.subsets {
		in, ok, err := q.sets.get(ctx, r, st.reports)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errors.New("subsets need numeric document IDs")
		}
		st.in = in
	}
	s, err := q.inner.Searcher(ctx, r, m, opts)
	if err != nil {
		return nil, err
	}
	return &tapSearcher{Searcher: s, q: q, r: r}, nil
}

// tapSearcher passes inner's hits on and offers each to the subsets.
type tapSearcher struct {
	search.Searcher
	q    *tapQuery
	r    bindex.IndexReader
	seen uint64
}

func (t *tapSearcher) Next(sctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := t.Searcher.Next(sctx)
	t.offer(d)
	return d, err
}

func (t *tapSearcher) Advance(sctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := t.Searcher.Advance(sctx, id)
	t.offer(d)
	return d, err
}

func (t *tapSearcher) offer(d *search.DocumentMatch) {
	if d == nil || len(d.IndexInternalID) != 8 {
		return
	}
	t.seen++
	doc := d.IndexInternalID.Value()
	for _, st := range t.q.subsets {
		if !st.in.has(doc) {
			continue
		}
		if len(st.top) == st.size && d.Score <= st.top[len(st.top)-1].score {
			continue // not better than the worst kept (a tie goes to the earlier)
		}
		h := tapHit{d.Score, t.seen, doc}
		// Insert after every kept hit scoring at least as much.
		i := sort.Search(len(st.top), func(i int) bool { return st.top[i].score < h.score })
		if len(st.top) < st.size {
			st.top = append(st.top, tapHit{})
		}
		copy(st.top[i+1:], st.top[i:])
		st.top[i] = h
	}
}

// Close reads the subsets' paragraph IDs while the reader is still open
// (bleve closes the searcher before the reader).
func (t *tapSearcher) Close() error {
	for _, st := range t.q.subsets {
		st.found = st.found[:0]
		for _, h := range st.top {
			var id bindex.IndexInternalID = make([]byte, 8)
			id.SetValue(h.doc)
			ext, err := t.r.ExternalID(id)
			if err != nil {
				t.q.err = err
				break
			}
			st.found = append(st.found, scored{ext, h.score})
		}
	}
	return t.Searcher.Close()
}

// reportDocs reads the document numbers of reports' paragraphs; ok is false
// when the index's document IDs are not numeric (not scorch).
func reportDocs(ctx context.Context, r bindex.IndexReader, reports []string) (in bitset, ok bool, err error) {
	var td bindex.TermFieldDoc
	for _, id := range reports {
		tfr, err := r.TermFieldReader(ctx, []byte(id), fieldReport, false, false, false)
		if err != nil {
			return nil, false, err
		}
		for {
			d, err := tfr.Next(&td)
			if err != nil {
				tfr.Close()
				return nil, false, err
			}
			if d == nil {
				break
			}
			if len(d.ID) != 8 {
				// Not scorch's numbering: restrictions and subsets take
				// bleve's filters.
				fellBack(fastScorch)
				tfr.Close()
				return nil, false, nil
			}
			if d.ID.Value() > math.MaxUint32 {
				fellBack(fastScorch) // past a roaring bitmap's numbers
				tfr.Close()
				return nil, false, nil
			}
			in.add(d.ID.Value())
		}
		if err := tfr.Close(); err != nil {
			return nil, false, err
		}
	}
	return in, true, nil
}

// docSetCache keeps the document sets of the report sets searches were
// restricted to, for the index snapshot they were read from: reading the
// national reports' postings took a tenth of a question's time over 1,000
// reports, and over 10,000 replicated reports a place's reports (~85 copies
// each) take milliseconds to read, the national ones 20–30 ms. It keeps
// within docSetCacheBytes the sets used last and, of the others, those
// used most (tinyLFU: the bench's questions, asked in turn, use more sets
// than it holds). Document numbers hold only within a snapshot (a batch or
// a merge makes a new one), so a new snapshot empties the cache.
type docSetCache struct {
	mu   sync.Mutex
	snap *scorch.IndexSnapshot // the snapshot of sets; compared, never used
	sets tinyLFU[string, *docSet]
}

// docSet is a cached report set's documents, and their ranges once asked
// for (a restricted search's; computing them every search was a tenth of
// the bytes a search over 10,000 reports allocated).
type docSet struct {
	key    string // its cache key (setKey), "" when not cached
	in     docNums
	ranges []docRange
	ranged bool
}

// docNums is a set of document numbers kept compact: a roaring bitmap with
// runs, where a bitset up to the last number took 118 KB for any set over
// 10,000 replicated reports, and the sets of the bench's questions (a
// place's ~85 reports, ~8,000 runs of paragraphs; 28 KB as a bitmap) took
// 17.5 MiB against 4.7. The zero value is empty.
type docNums struct{ b *roaring.Bitmap }

// newDocNums returns the numbers of in, compacted.
func newDocNums(in bitset) docNums {
	b := roaring.FromDense(in, false)
	b.RunOptimize()
	return docNums{b}
}

func (d docNums) has(n uint64) bool {
	return d.b != nil && n <= math.MaxUint32 && d.b.Contains(uint32(n))
}

// ranges returns the numbers' runs, in order.
func (d docNums) ranges() []docRange {
	if d.b == nil {
		return nil
	}
	return bitset(d.b.ToDense()).ranges()
}

// count returns how many numbers d holds.
func (d docNums) count() uint64 {
	if d.b == nil {
		return 0
	}
	return d.b.GetCardinality()
}

// size is the bytes d takes, about.
func (d docNums) size() int64 {
	if d.b == nil {
		return 0
	}
	return int64(d.b.GetSizeInBytes())
}

// size is the bytes d takes in the cache, about.
func (d *docSet) size() int64 {
	return d.in.size() + int64(len(d.ranges))*int64(unsafe.Sizeof(docRange{})) + int64(len(d.key))
}

// docSetCacheBytes bounds the sets kept. Over 10,000 replicated reports
// the bench's 232 questions use ~156 sets: 4.7 MiB of bitmaps, and the
// ranges of the ~70 that restrict a search (a place's reports: ~8,000
// ranges, 135 KB) 9 MiB more; admission keeps the most used of them. At
// 16 MiB serve's live heap came 6 MiB nearer its soft memory limit (whose
// base counts this cache) and its collector ran twice as often.
const docSetCacheBytes = 8 << 20

// setKey is the cache key of a set of reports: a digest of their IDs,
// which for the national reports of 10,000 replicated reports are 126 KB.
func setKey(reports []string) string {
	h := sha256.New()
	for _, id := range reports {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil))
}

// get returns the document numbers of reports' paragraphs in r, as
// reportDocs does. A nil cache reads them every time.
func (c *docSetCache) get(ctx context.Context, r bindex.IndexReader, reports []string) (docNums, bool, error) {
	d, ok, err := c.set(ctx, r, reports)
	if d == nil {
		return docNums{}, ok, err
	}
	return d.in, ok, err
}

// ranges returns the ranges of the document numbers of reports'
// paragraphs in r, as get's bitset gives them.
func (c *docSetCache) ranges(ctx context.Context, r bindex.IndexReader, reports []string) ([]docRange, bool, error) {
	d, ok, err := c.set(ctx, r, reports)
	if d == nil || !ok || err != nil {
		return nil, ok, err
	}
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	if !d.ranged {
		d.ranges, d.ranged = d.in.ranges(), true
		if c != nil && c.snap == scorchSnapshot(r) {
			// The ranges count with the set: a place's are ~8,000.
			c.sets.resize(d.key, d.size(), docSetCacheBytes)
		}
	}
	return d.ranges, true, nil
}

// set returns the cached set of reports, read if it is not cached.
func (c *docSetCache) set(ctx context.Context, r bindex.IndexReader, reports []string) (*docSet, bool, error) {
	if c == nil {
		in, ok, err := reportDocs(ctx, r, reports)
		return &docSet{in: newDocNums(in)}, ok, err
	}
	snap := scorchSnapshot(r)
	key := setKey(reports)
	c.mu.Lock()
	if snap != nil && c.snap == snap {
		if d, ok := c.sets.get(key); ok {
			c.mu.Unlock()
			return d, true, nil
		}
	}
	c.mu.Unlock()
	in, ok, err := reportDocs(ctx, r, reports)
	d := &docSet{key: key, in: newDocNums(in)}
	if err != nil || !ok || snap == nil {
		return d, ok, err
	}
	c.mu.Lock()
	if c.snap != snap {
		c.snap = snap
		c.sets.reset()
	}
	if held, ok := c.sets.peek(key); ok {
		d = held // a concurrent search read it too
	} else {
		c.sets.add(key, d, d.size(), docSetCacheBytes)
	}
	c.mu.Unlock()
	return d, true, nil
}

package index

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// sumQuery is a disjunction of term clauses (term, field, boost) that
// scores every paragraph exactly as bleve's DisjunctionQuery of
// TermQuerys does — the same BM25 (or TF-IDF) per clause with bleve's
// index statistics, query norm and coordination factor — but computes the
// scores term at a time: it walks each clause's posting list once and adds
// the clause's score into an array indexed by document number, then hands
// the paragraphs found to the collector in document order.
//
// Bleve's disjunction searcher walks the posting lists document at a time,
// keeping the clauses in a heap ordered by their current document and
// building a scored match per posting: a question's ten to thirty clauses,
// several of them frequent words (年, 增长) or their section-field twins,
// cost it about 100 ns per posting, most of a question's time over a large
// index (50,000 postings over 1,000 reports). Term at a time is a few
// times faster per posting.
//
// It reads the postings from scorch's segments itself (collectClause).
// Scores may differ from bleve's in the last bit: bleve adds a paragraph's
// clause scores in the order its heap yields them (over ten clauses), this
// in clause order. TestSumQueryScoresAsBleve holds it to bleve's hits and
// scores.
type sumQuery struct {
	clauses []sumClause
	// reports, when set, limits the search to their paragraphs, each
	// scored as in the unrestricted search: the postings are read only
	// within the ranges of document numbers the reports' paragraphs hold
	// (a report's paragraphs are added in one batch, so they are a few
	// ranges).
	reports []string
	sets    *docSetCache
	// cache, when set, keeps the decoded postings of frequent terms.
	cache *postingsCache
	// keep, when set, lists the best hits the search is for: the searcher
	// hands the collector only paragraphs that score at least as much as
	// the n-th best of some keep's reports (ties included, so that the
	// collector breaks them as it would). A question's common words match
	// half of a large index; bleve's collector (and tapQuery) would take
	// every one of those paragraphs in turn for the best 60.
	keep []sumKeep
}

// sumKeep is the n best paragraphs of reports (nil: of the search's scope).
type sumKeep struct {
	reports []string
	n       int
}

// sumClause is one term clause of a sumQuery.
type sumClause struct {
	term, field string
	boost       float64
}

// disjunction is the same query as bleve's own disjunction, for indexes
// whose documents are not numbered (not scorch).
func (q *sumQuery) disjunction() query.Query {
	qs := make([]query.Query, len(q.clauses))
	for i, c := range q.clauses {
		tq := query.NewTermQuery(c.term)
		tq.SetField(c.field)
		tq.SetBoost(c.boost)
		qs[i] = tq
	}
	return query.NewDisjunctionQuery(qs)
}

// Searcher implements query.Query.
func (q *sumQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	// bleve's own disjunction (restricted with scopeQuery) where this one
	// cannot serve.
	fallback := func() (search.Searcher, error) {
		if len(q.reports) > 0 {
			return (&scopeQuery{root: q.disjunction(), reports: q.reports, sets: q.sets}).Searcher(ctx, r, m, opts)
		}
		return q.disjunction().Searcher(ctx, r, m, opts)
	}
	snap := scorchSnapshot(r)
	if snap == nil {
		fellBack(fastScorch)
	}
	if snap == nil || opts.Explain || opts.IncludeTermVectors || opts.Score == "none" || len(q.clauses) == 0 {
		return fallback()
	}
	var ranges []docRange
	if len(q.reports) > 0 {
		rs, ok, err := q.sets.ranges(ctx, r, q.reports)
		if err != nil {
			return nil, err
		}
		if !ok {
			return fallback()
		}
		if ranges = rs; len(ranges) == 0 {
			return searcher.NewMatchNoneSearcher(r)
		}
	}
	bm25 := false
	if f, ok := ctx.Value(search.GetScoringModelCallbackKey).(search.GetScoringModelCallbackFn); ok {
		bm25 = f() == bindex.BM25Scoring
	}
	docTotal, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &sumSearcher{clauses: make([]sumClauseState, 0, len(q.clauses)), docTotal: max(docTotal, 1)}
	if ranges != nil {
		s.setRanges(ranges)
	}
	for _, k := range q.keep {
		ks := keepState{n: k.n}
		if k.reports != nil {
			in, ok, err := q.sets.get(ctx, r, k.reports)
			if err != nil {
				return nil, err
			}
			if !ok {
				s.keeps = nil
				break
			}
			ks.in, ks.some = in, true
		}
		s.keeps = append(s.keeps, ks)
	}
	segs, offsets, running := snapshotSegments(snap)
	s.offsets = offsets
	if ranges == nil {
		s.slots = running
	}
	dicts := make(map[string][]segment.TermDictionary)
	avgLen := make(map[string]float64)
	for _, c := range q.clauses {
		cs := sumClauseState{boost: c.boost}
		if bm25 {
			avg, ok := avgLen[c.field]
			if !ok {
				if avg, err = bm25AvgLength(ctx, r, c.field, docTotal); err != nil {
					return nil, err
				}
				avgLen[c.field] = avg
			}
			cs.avgLen = avg
		}
		key := postingsKey(c.field, c.term)
		t, cached := q.cache.get(r, key)
		if cached {
			cs.count = uint64(t.n)
		} else {
			// The field's dictionaries are opened for the first term the
			// cache does not hold (a vellum reader per segment).
			ds, ok := dicts[c.field]
			if !ok {
				ds = make([]segment.TermDictionary, len(segs))
				for i, seg := range segs {
					if ds[i], err = seg.Segment().Dictionary(c.field); err != nil {
						return nil, err
					}
				}
				dicts[c.field] = ds
			}
			cs.postings = make([]segment.PostingsList, len(segs))
			term := []byte(c.term)
			for i, seg := range segs {
				pl, err := ds[i].PostingsList(term, seg.Deleted(), nil)
				if err != nil {
					return nil, err
				}
				cs.postings[i] = pl
				cs.count += pl.Count()
			}
		}
		cs.idf = idf(cs.avgLen, docTotal, cs.count)
		// Postings the cache would not keep are read from the segments:
		// decoded, they were garbage at once (over 10,000 reports a word
		// like 年 has half a million, 3 MB).
		if !cached && cs.count >= cacheMinPostings && running <= math.MaxUint32 && q.cache != nil && q.cache.holds(int(cs.count)*estimatedPostingSize+len(key)) {
			if t, err = s.decode(&cs); err != nil {
				return nil, err
			}
			if t != nil {
				q.cache.put(r, key, t)
				cached, cs.postings = true, nil
			}
		}
		if cached {
			cs.cached, cs.base = t, t.bases(&cs)
		}
		s.clauses = append(s.clauses, cs)
	}
	// A disjunction's own query norm; a conjunction around it sets its own
	// (the same when its other clauses weigh nothing).
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// bm25AvgLength is bleve's average field length for BM25 (bm25ScoreMetrics
// in bleve's searcher package): the field's cardinality over the document
// count, rounded up; 0 (TF-IDF) for an empty index.
func bm25AvgLength(ctx context.Context, r bindex.IndexReader, field string, docTotal uint64) (float64, error) {
	count := docTotal
	var card int
	if stats, ok := ctx.Value(search.BM25StatsKey).(*search.BM25Stats); ok {
		count = uint64(stats.DocCount)
		card = stats.FieldCardinality[field]
	} else if br, ok := r.(bindex.BM25Reader); ok {
		var err error
		if card, err = br.FieldCardinality(field); err != nil {
			return 0, err
		}
	}
	if count == 0 {
		return 0, nil
	}
	return math.Ceil(float64(card) / float64(count)), nil
}

// idf is bleve's TermQueryScorer.computeIDF.
func idf(avgLen float64, docTotal, docTerm uint64) float64 {
	if avgLen > 0 {
		return math.Log(1 + (float64(docTotal)-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
	}
	return 1.0 + math.Log(float64(docTotal)/float64(docTerm+1.0))
}

type sumClauseState struct {
	postings []segment.PostingsList // by segment
	cached   *cachedTerm            // instead of postings, decoded
	base     []float64              // cached's classes' scores before weight
	count    uint64                 // documents, as bleve's TermFieldReader counts them
	// byLength caches the score of a posting read from the segments (not
	// cached) of frequency 1 by its field's length (what the norm is
	// computed from): most postings. It is a piece of the accumulator's
	// cache.
	byLength []float64
	boost    float64
	idf      float64
	avgLen   float64 // > 0 for BM25
	weight   float64 // boost·idf·queryNorm, as set by SetQueryNorm
}

// score is bleve's TermQueryScorer.Score of one posting, the operations in
// the same order.
func (c *sumClauseState) score(freq uint64, norm float64) float64 {
	score := c.baseScore(freq, norm)
	if c.weight != 1.0 {
		score = score * c.weight
	}
	return score
}

// scoring returns what c's scores depend on besides its weight.
func (c *sumClauseState) scoring() termScoring { return termScoring{c.idf, c.avgLen} }

// baseScore is score before the clause's weight.
func (c *sumClauseState) baseScore(freq uint64, norm float64) float64 {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(freq)]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	var score float64
	if c.avgLen > 0 {
		fieldLength := 1 / (norm * norm)
		score = c.idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/c.avgLen)))
	} else {
		score = tf * norm * c.idf
	}
	return score
}

// sumSearcher is sumQuery's searcher. Its postings are read on the first
// Next or Advance, once the query norm is known.
type sumSearcher struct {
	clauses []sumClauseState
	ranges  []docRange // the documents to score; nil: all
	// bases are the ranges' first accumulator slots: a restricted
	// search's documents are numbered from 0 across its ranges (see slot).
	bases    []uint64
	docTotal uint64
	// slots is how many accumulator slots the search uses: its scope's
	// documents, or all of the snapshot's.
	slots   uint64
	acc     *accumulator
	done    bool   // postings read
	next    uint64 // the next document number to look at
	count   uint64 // documents matched
	keeps   []keepState
	offsets []uint64 // the first document number of each segment
	cands   []candidate
	ci      int // the next of cands to look at
	// splitParts are the search's parts, once split (splitDone).
	splitParts []part
	splitDone  bool
}

// keepState is a sumKeep with its document set, and the least score it
// keeps once the postings are read.
type keepState struct {
	in    docNums
	some  bool // in applies; else every document
	n     int
	least float64
}

// accumulator holds a search's scores and matched-clause counts by
// document number, with the clauses' score caches and the candidates.
// Searches reuse them (getAccumulator): over 1,000 reports they are a
// megabyte, and a sync.Pool, emptied by every collection (every few
// questions), had each search allocate and clear a new one.
type accumulator struct {
	score   []float64
	n       []uint16
	matched uint64    // documents with n > 0
	cache   []float64 // the clauses' score caches, cachedLengths each
	cands   []candidate
}

// spareAccumulators keeps a few accumulators between searches: as many
// as searches usually run at once.
var spareAccumulators struct {
	sync.Mutex
	free []*accumulator
}

const maxSpareAccumulators = 4

func getAccumulator() *accumulator {
	spareAccumulators.Lock()
	defer spareAccumulators.Unlock()
	if n := len(spareAccumulators.free); n > 0 {
		a := spareAccumulators.free[n-1]
		spareAccumulators.free = spareAccumulators.free[:n-1]
		// Its arrays are clear to their capacity; this search's length
		// is its own (a restricted search uses the size of its scope).
		a.n, a.score = a.n[:0], a.score[:0]
		return a
	}
	return new(accumulator)
}

// putAccumulator clears a and keeps it for another search.
func putAccumulator(a *accumulator) {
	clear(a.n)
	clear(a.score)
	clear(a.cache)
	a.matched, a.cands = 0, a.cands[:0]
	spareAccumulators.Lock()
	defer spareAccumulators.Unlock()
	if len(spareAccumulators.free) < maxSpareAccumulators {
		spareAccumulators.free = append(spareAccumulators.free, a)
	}
}

// reserve makes room for n slots at once: grown by doubling as postings
// came, an accumulator over 10,000 reports left twice its final size (20
// MB) of garbage per search.
func (a *accumulator) reserve(n uint64) {
	if n <= uint64(len(a.n)) {
		return
	}
	if n <= uint64(cap(a.n)) {
		a.n, a.score = a.n[:n], a.score[:n]
		return
	}
	a.n, a.score = make([]uint16, n), make([]float64, n)
}

// grow makes room for document number doc.
func (a *accumulator) grow(doc uint64) {
	if doc < uint64(len(a.n)) {
		return
	}
	size := max(doc+1, uint64(2*len(a.n)), 1024)
	if size <= uint64(cap(a.n)) {
		a.n = a.n[:size]
		a.score = a.score[:size]
		return
	}
	n := make([]uint16, size)
	copy(n, a.n)
	score := make([]float64, size)
	copy(score, a.score)
	a.n, a.score = n, score
}

func (s *sumSearcher) collect() error {
	s.done = true
	s.acc = getAccumulator()
	s.acc.reserve(s.slots)
	if n := len(s.clauses) * cachedLengths; cap(s.acc.cache) < n {
		s.acc.cache = make([]float64, n)
	} else {
		s.acc.cache = s.acc.cache[:n]
	}
	for i := range s.clauses {
		s.clauses[i].byLength = s.acc.cache[i*cachedLengths : (i+1)*cachedLengths]
	}
	if parts := s.split(); len(parts) > 1 {
		return s.collectParallel(parts)
	}
	for i := range s.clauses {
		if err := s.collectClause(s.acc, &s.clauses[i], s.whole()); err != nil {
			return err
		}
	}
	s.count = s.acc.matched
	return nil
}

// setRanges restricts the search to ranges, numbering their documents
// from slot 0.
func (s *sumSearcher) setRanges(ranges []docRange) {
	s.ranges = ranges
	s.bases = make([]uint64, len(ranges))
	var slots uint64
	for i, r := range ranges {
		s.bases[i], slots = slots, slots+r.end-r.start
	}
	s.slots = slots
}

// part is the documents one goroutine of a search collects: ranges of
// document numbers with their first slots (nil ranges: every document, its
// number its slot).
type part struct {
	ranges []docRange
	bases  []uint64
}

// whole is the search's documents as one part.
func (s *sumSearcher) whole() part { return part{s.ranges, s.bases} }

// parallelPostings is how many postings a search reads, at least, before
// it splits them between goroutines (GOMAXPROCS of them): starting one costs
// a few microseconds, and a question's postings over 10,000 reports take
// tens of milliseconds to add up on one core.
var parallelPostings uint64 = 1 << 17

// split returns s.parts(), computed once (collect and final both split
// the search).
func (s *sumSearcher) split() []part {
	if !s.splitDone {
		s.splitParts, s.splitDone = s.parts(), true
	}
	return s.splitParts
}

// parallelSlots is how many slots a search has, at least, before final
// looks at them in parts.
var parallelSlots uint64 = 1 << 18

// parts splits the search's slots into as many parts as it has cores to
// collect with, of equal numbers of slots; one part when the search is
// small.
func (s *sumSearcher) parts() []part {
	n := uint64(runtime.GOMAXPROCS(0))
	var postings uint64
	for i := range s.clauses {
		postings += s.clauses[i].count
	}
	if n < 2 || postings < parallelPostings || s.slots < n {
		return nil
	}
	ranges, bases := s.ranges, s.bases
	if ranges == nil {
		ranges, bases = []docRange{{0, s.slots}}, []uint64{0}
	}
	parts := make([]part, 0, n)
	r, off := 0, uint64(0) // the next slot to assign: off into ranges[r]
	for k := range n {
		want := s.slots * (k + 1) / n // the first slot of the next part
		var p part
		for r < len(ranges) && bases[r]+off < want {
			start := ranges[r].start + off
			take := min(ranges[r].end-start, want-(bases[r]+off))
			p.ranges = append(p.ranges, docRange{start, start + take})
			p.bases = append(p.bases, bases[r]+off)
			if off += take; ranges[r].start+off == ranges[r].end {
				r, off = r+1, 0
			}
		}
		parts = append(parts, p)
	}
	return parts
}

// collectParallel collects every clause over each of parts in a goroutine
// of its own: the parts' slots are apart, and each paragraph's clauses are
// added in the same order as one goroutine adds them, so its score is the
// same to the bit.
func (s *sumSearcher) collectParallel(parts []part) error {
	errs := make([]error, len(parts))
	matched := make([]uint64, len(parts))
	parallel(len(parts), func(k int) {
		// The part's own counts and score caches; the slots are shared,
		// each part's its own.
		a := &accumulator{n: s.acc.n, score: s.acc.score}
		clauses := slices.Clone(s.clauses)
		cache := make([]float64, len(clauses)*cachedLengths)
		for i := range clauses {
			clauses[i].byLength = cache[i*cachedLengths : (i+1)*cachedLengths]
			if err := s.collectClause(a, &clauses[i], parts[k]); err != nil {
				errs[k] = err
				return
			}
		}
		matched[k] = a.matched
	})
	for k := range parts {
		s.acc.matched += matched[k]
	}
	s.count = s.acc.matched
	return errors.Join(errs...)
}

// advanceOver is how many postings a clause skips by Advance rather than
// by Next (an estimate, from the clause's share of the documents): an
// Advance of scorch's postings costs about as much as a few dozen Nexts.
const advanceOver = 32

// collectClause adds one clause's scores, of the documents of part p. It
// reads the segments' postings itself: scorch's TermFieldReader costs
// about as much again per posting (a global ID of bytes, the norm's square
// root) as reading them.
func (s *sumSearcher) collectClause(a *accumulator, c *sumClauseState, pt part) error {
	if c.cached != nil {
		collectCached(a, c, pt)
		return nil
	}
	for i, pl := range c.postings {
		off := s.offsets[i]
		end := uint64(math.MaxUint64)
		if i+1 < len(s.offsets) {
			end = s.offsets[i+1]
		}
		it := pl.Iterator(true, true, false, nil)
		p, err := it.Next()
		r := 0 // the range p is in or before
		for p != nil && err == nil {
			doc := off + p.Number()
			if pt.ranges != nil {
				for r < len(pt.ranges) && doc >= pt.ranges[r].end {
					r++
				}
				if r == len(pt.ranges) || pt.ranges[r].start >= end {
					break // none in this segment
				}
				if start := pt.ranges[r].start; doc < start {
					if (start-doc)*c.count > advanceOver*s.docTotal {
						p, err = it.Advance(start - off)
					} else {
						p, err = it.Next()
					}
					continue
				}
			}
			a.add(pt.slot(doc, r), c.postingScore(p))
			p, err = it.Next()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// decode reads all of c's postings, for the cache, with their classes'
// scores for c; nil when one does not fit a class or a norm is not
// lengthNorm's (a zap version that keeps norms otherwise; checked once a
// class: a norm is zap's function of the stored length).
func (s *sumSearcher) decode(c *sumClauseState) (*cachedTerm, error) {
	cl := classifiers.Get().(*classifier)
	defer classifiers.Put(cl)
	defer cl.reset()
	ok, err := s.decodeInto(c, cl)
	if !ok || err != nil {
		return nil, err
	}
	t := encodeTerm(cl.docs, cl.cls, cl.classes)
	t.base, t.scoring = t.bases(c), c.scoring()
	return t, nil
}

func (s *sumSearcher) decodeInto(c *sumClauseState, cl *classifier) (bool, error) {
	for i, pl := range c.postings {
		off := s.offsets[i]
		it := pl.Iterator(true, true, false, nil)
		var err error
		for {
			var p segment.Posting
			if p, err = it.Next(); p == nil || err != nil {
				break
			}
			fl, ok := p.(fieldLengther)
			if !ok {
				fellBack(fastNorms)
				return false, nil
			}
			n := fl.NormUint64()
			packed, ok := packFL(p.Frequency(), n)
			if !ok {
				return false, nil
			}
			k, added, ok := cl.class(packed)
			if !ok {
				return false, nil
			}
			// zap's norm is a function of the length: checked once a
			// length.
			if added && lengthNorm(uint32(n)) != p.Norm() {
				fellBack(fastNorms)
				return false, nil
			}
			cl.docs = append(cl.docs, uint32(off+p.Number()))
			cl.cls = append(cl.cls, k)
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// collectCached is collectClause over c's decoded postings: a restriction
// reads each range's postings only, by way of the skips.
func collectCached(a *accumulator, c *sumClauseState, pt part) {
	base, w := c.base, c.weight
	if pt.ranges == nil {
		// termCursor.next, inlined: this loop is most of a large search.
		p := c.cached.stream
		var doc uint64
		for i := 0; i < len(p); {
			if d := p[i]; d < 0x80 {
				doc += uint64(d)
				i++
			} else {
				d, n := binary.Uvarint(p[i:])
				doc += d
				i += n
			}
			k := uint16(p[i])
			i++
			if k == escapeClass {
				k = binary.LittleEndian.Uint16(p[i:])
				i += 2
			}
			a.add(doc, base[k]*w)
		}
		return
	}
	cur := termCursor{t: c.cached}
	have := cur.next()
	for ri, r := range pt.ranges {
		if have && cur.doc < r.start {
			have = cur.seek(r.start)
		}
		slot := pt.bases[ri] - r.start
		for have && cur.doc < r.end {
			a.add(slot+cur.doc, base[cur.class]*w)
			have = cur.next()
		}
		if !have {
			return
		}
	}
}

// slot returns the accumulator slot of document doc, which is in range r
// of a restricted search or part: the scope's documents are numbered from 0, so a
// restricted search clears and scans an accumulator the size of its scope,
// not of the index.
func (p part) slot(doc uint64, r int) uint64 {
	if p.ranges == nil {
		return doc
	}
	return p.bases[r] + doc - p.ranges[r].start
}

// add adds a clause's score to document doc.
func (a *accumulator) add(doc uint64, score float64) {
	if doc >= uint64(len(a.n)) {
		a.grow(doc)
	}
	n := a.n[doc]
	a.matched += uint64((uint32(n) - 1) >> 31) // 1 when n is 0: no branch to mispredict
	a.n[doc] = n + 1
	a.score[doc] += score
}

// cachedLengths bounds the field lengths whose scores are cached: 99% of
// the postings of the slowest questions over 1,000 reports are shorter.
const cachedLengths = 256

// postingScore is c's score of posting p, as bleve's TermQueryScorer gives
// it (the same norm, from the posting, and the same operations).
func (c *sumClauseState) postingScore(p segment.Posting) float64 {
	freq := p.Frequency()
	if freq == 1 && c.byLength != nil {
		if fl, ok := p.(fieldLengther); ok {
			if n := fl.NormUint64(); n < cachedLengths {
				// Scores are positive (idf and boosts are): 0 is unset.
				if x := c.byLength[n]; x != 0 {
					return x
				}
				x := c.score(1, p.Norm())
				c.byLength[n] = x
				return x
			}
		} else {
			fellBack(fastNorms)
		}
	}
	return c.score(freq, p.Norm())
}

// final turns the sums into the documents' scores (bleve's coordination
// factor: the share of the clauses matched), sets each keep's least score
// to keep, and lists the documents that may be wanted, in order: those
// that scored at least every keep's least so far when they were seen
// (the least only grows). Large searches look at their parts in
// goroutines of their own, each with its own least scores (never above the
// whole search's): the keeps' least are then those of the parts' best
// together, and Next hands the collector the same documents.
func (s *sumSearcher) final() {
	coord := make([]float64, len(s.clauses)+1)
	for k := range coord {
		coord[k] = float64(k) / float64(len(s.clauses))
	}
	var parts []part
	if s.slots >= parallelSlots {
		parts = s.split()
	}
	if len(parts) < 2 {
		st := s.finalPart(s.whole(), coord, s.acc.cands[:0])
		s.cands = st.cands
		for i := range s.keeps {
			s.keeps[i].least = st.least[i]
		}
		return
	}
	states := make([]finalState, len(parts))
	parallel(len(parts), func(k int) {
		var buf []candidate
		if k == 0 {
			buf = s.acc.cands[:0]
		}
		states[k] = s.finalPart(parts[k], coord, buf)
	})
	s.cands = states[0].cands
	for _, st := range states[1:] {
		s.cands = append(s.cands, st.cands...)
	}
	for i := range s.keeps {
		ks := &s.keeps[i]
		var best minHeap
		for _, st := range states {
			for _, x := range st.heaps[i] {
				best.offer(x, ks.n)
			}
		}
		ks.least = math.Inf(-1)
		if len(best) == ks.n && ks.n > 0 {
			ks.least = best[0]
		}
	}
}

// finalState is final's work over one part: the keeps' best scores and
// least so far, and the candidates.
type finalState struct {
	heaps []minHeap
	least []float64
	cands []candidate
}

// finalPart looks at part p's documents, listing candidates into cands:
// every matched document when the search keeps all, else each keep's
// (scanKeep), merged in document order.
func (s *sumSearcher) finalPart(p part, coord []float64, cands []candidate) finalState {
	a := s.acc
	st := finalState{heaps: make([]minHeap, len(s.keeps)), least: make([]float64, len(s.keeps)), cands: cands}
	slots := uint64(len(a.n))
	if len(s.keeps) == 0 {
		p.runs(slots, func(doc, slot, n uint64) {
			for j, k := range a.n[slot : slot+n] {
				if k != 0 {
					st.cands = append(st.cands, candidate{doc + uint64(j), a.score[slot+uint64(j)] * coord[k]})
				}
			}
		})
		return st
	}
	lists := make([][]candidate, len(s.keeps))
	for i := range s.keeps {
		st.least[i], lists[i] = s.scanKeep(p, &s.keeps[i], coord, &st.heaps[i])
	}
	st.cands = mergeCandidates(st.cands, lists)
	return st
}

// memberScanShare: a keep of a subset with fewer documents than a
// memberScanShare-th of the search's slots looks at its own documents;
// a larger one scans the slots as the whole scope's keep does.
const memberScanShare = 8

// scanKeep looks at part p's documents of keep ks: it returns the least
// score the keep keeps and, in document order, the documents that scored at
// least its least so far when they were seen (the least only grows). A
// document's score is its sum times its coordination factor, at most 1, so
// a sum below the least rules it out unread: over a large index most
// matched documents are, and the scan is a comparison per slot.
func (s *sumSearcher) scanKeep(p part, ks *keepState, coord []float64, h *minHeap) (float64, []candidate) {
	a := s.acc
	least := math.Inf(-1)
	var out []candidate
	slots := uint64(len(a.n))
	if ks.some && ks.in.count() < slots/memberScanShare {
		it := ks.in.b.Iterator()
		p.runs(slots, func(doc, slot, m uint64) {
			it.AdvanceIfNeeded(uint32(doc))
			for it.HasNext() {
				d := uint64(it.PeekNext())
				if d >= doc+m {
					break
				}
				it.Next()
				i := slot + d - doc
				k := a.n[i]
				if k == 0 || a.score[i] < least {
					continue
				}
				if score := a.score[i] * coord[k]; score >= least {
					h.offer(score, ks.n)
					if len(*h) == ks.n && ks.n > 0 {
						least = (*h)[0]
					}
					out = append(out, candidate{d, score})
				}
			}
		})
		return least, out
	}
	p.runs(slots, func(doc, slot, m uint64) {
		counts := a.n[slot : slot+m]
		for j, x := range a.score[slot : slot+m] {
			if x < least {
				continue
			}
			k := counts[j]
			if k == 0 {
				continue
			}
			score := x * coord[k]
			if score < least || ks.some && !ks.in.has(doc+uint64(j)) {
				continue
			}
			h.offer(score, ks.n)
			if len(*h) == ks.n && ks.n > 0 {
				least = (*h)[0]
			}
			out = append(out, candidate{doc + uint64(j), score})
		}
	})
	return least, out
}

// mergeCandidates appends lists, each in document order, to out in
// document order, each document once.
func mergeCandidates(out []candidate, lists [][]candidate) []candidate {
	if len(lists) == 1 {
		return append(out, lists[0]...)
	}
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].doc < lists[best][0].doc) {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		c := lists[best][0]
		for i, l := range lists {
			if len(l) > 0 && l[0].doc == c.doc {
				lists[i] = l[1:]
			}
		}
		out = append(out, c)
	}
}

// runs calls f with each run of p's documents below slot slots: its first
// document and slot, and its length.
func (p part) runs(slots uint64, f func(doc, slot, n uint64)) {
	if p.ranges == nil {
		if slots > 0 {
			f(0, 0, slots)
		}
		return
	}
	for i, r := range p.ranges {
		if end := min(p.bases[i]+r.end-r.start, slots); end > p.bases[i] {
			f(r.start, p.bases[i], end-p.bases[i])
		}
	}
}

// candidate is a document that may be handed to the collector.
type candidate struct {
	doc   uint64
	score float64
}

// wanted reports whether some keep wants document doc of score.
func (s *sumSearcher) wanted(doc uint64, score float64) bool {
	if len(s.keeps) == 0 {
		return true
	}
	for i := range s.keeps {
		ks := &s.keeps[i]
		if score >= ks.least && (!ks.some || ks.in.has(doc)) {
			return true
		}
	}
	return false
}

// Next implements search.Searcher.
func (s *sumSearcher) Next(sctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.done {
		if err := s.collect(); err != nil {
			return nil, err
		}
		s.final()
	}
	for ; s.ci < len(s.cands); s.ci++ {
		c := s.cands[s.ci]
		if c.doc < s.next || !s.wanted(c.doc, c.score) {
			continue
		}
		s.ci++
		s.next = c.doc + 1
		dm := sctx.DocumentMatchPool.Get()
		dm.IndexInternalID = bindex.NewIndexInternalID(dm.IndexInternalID, c.doc)
		dm.Score = c.score
		return dm, nil
	}
	return nil, nil
}

// minHeap holds the n largest scores offered, the least at the root.
type minHeap []float64

func (h *minHeap) offer(x float64, n int) {
	if len(*h) < n {
		*h = append(*h, x)
		for i := len(*h) - 1; i > 0; {
			p := (i - 1) / 2
			if (*h)[p] <= (*h)[i] {
				break
			}
			(*h)[p], (*h)[i] = (*h)[i], (*h)[p]
			i = p
		}
		return
	}
	if n == 0 || x <= (*h)[0] {
		return
	}
	(*h)[0] = x
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(*h) && (*h)[l] < (*h)[m] {
			m = l
		}
		if l+1 < len(*h) && (*h)[l+1] < (*h)[m] {
			m = l + 1
		}
		if m == i {
			break
		}
		(*h)[i], (*h)[m] = (*h)[m], (*h)[i]
		i = m
	}
}

// Advance implements search.Searcher.
func (s *sumSearcher) Advance(sctx *search.SearchContext, id bindex.IndexInternalID) (*search.DocumentMatch, error) {
	if len(id) == 8 {
		s.next = max(s.next, id.Value())
	}
	return s.Next(sctx)
}

// Close implements search.Searcher; it returns the accumulator cleared.
func (s *sumSearcher) Close() error {
	if s.acc != nil {
		s.acc.cands = s.cands // grown, perhaps
		s.cands = nil
		putAccumulator(s.acc)
		s.acc = nil
	}
	return nil
}

// Weight implements search.Searcher: the sum of the clauses' squared
// weights, as bleve's disjunction.
func (s *sumSearcher) Weight() float64 {
	var w float64
	for _, c := range s.clauses {
		x := c.boost * c.idf
		w += x * x
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *sumSearcher) SetQueryNorm(norm float64) {
	for i := range s.clauses {
		c := &s.clauses[i]
		c.weight = c.boost * c.idf * norm
	}
}

// Count implements search.Searcher: an estimate, as bleve's (the sum of the
// clauses' document frequencies) until the postings are read.
func (s *sumSearcher) Count() uint64 {
	if s.done {
		return s.count
	}
	var n uint64
	for _, c := range s.clauses {
		n += c.count
	}
	return n
}

// Min implements search.Searcher.
func (s *sumSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *sumSearcher) Size() int {
	n := 64 + 64*len(s.clauses)
	if s.acc != nil {
		n += 10 * len(s.acc.n)
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher: one match at a time.
func (s *sumSearcher) DocumentMatchPoolSize() int { return 1 }

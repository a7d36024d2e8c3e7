package index

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// queryTerm is one weighted term of a search.
type queryTerm struct {
	term   string
	weight float64
}

// queryTerms analyses q into weighted, distinct terms with the analyzer of
// ix's text fields.
func (ix *state) queryTerms(q Query) []queryTerm {
	var out []queryTerm
	at := make(map[string]int)
	addTerm := func(term string, w float64) {
		if i, ok := at[term]; ok {
			out[i].weight = max(out[i].weight, w)
			return
		}
		at[term] = len(out)
		out = append(out, queryTerm{term, w})
	}
	if ix.analyzer != AnalyzerName {
		// An index built with another analyzer for comparison: its terms.
		an := ix.bi.Mapping().AnalyzerNamed(ix.analyzer)
		if an == nil {
			return nil
		}
		for _, text := range append([]string{q.Text}, q.Terms...) {
			for _, t := range an.Analyze([]byte(text)) {
				addTerm(string(t.Term), 1)
			}
		}
		return out
	}
	if q.Text != "" {
		analyze(q.Text, func(t token) {
			w := 1.0
			if t.sub {
				w = subWordWeight
			}
			if t.num {
				w = numberWeight
			}
			addTerm(t.term, w)
		})
	}
	for _, t := range q.Terms {
		t = foldString(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		w := 1.0
		if b, ok := q.TermBoosts[t]; ok {
			w = b
		}
		addTerm(t, w)
	}
	return out
}

// Search runs q and returns the best-scoring paragraphs, best first.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	hits, _, err := ix.SearchSubsets(ctx, q)
	return hits, err
}

// SearchSubsets runs q as Search does and returns, besides its hits, the
// best hits of each subset: those Search would return for q restricted to
// the subset's reports, with the same scores, from the same pass over the
// index (a second search over a large part of the index costs as much as
// the first). Subset hits carry no Matched terms.
func (ix *Index) SearchSubsets(ctx context.Context, q Query, subsets ...Subset) ([]Hit, [][]Hit, error) {
	s := ix.acquire()
	defer s.release()
	terms := s.queryTerms(q)
	if len(terms) == 0 {
		return nil, make([][]Hit, len(subsets)), nil
	}
	size := q.Size
	if size <= 0 {
		size = defaultSize
	}
	sectionBoost := q.SectionBoost
	if sectionBoost == 0 {
		sectionBoost = defaultSectionBoost
	}
	sum := &sumQuery{}
	for _, t := range terms {
		if t.weight <= 0 {
			continue
		}
		sum.clauses = append(sum.clauses, sumClause{t.term, fieldText, t.weight})
		if sectionBoost > 0 {
			sum.clauses = append(sum.clauses, sumClause{t.term, fieldSection, t.weight * sectionBoost})
		}
	}
	if len(sum.clauses) == 0 {
		return nil, make([][]Hit, len(subsets)), nil
	}
	sum.sets, sum.cache = &s.docSets, &s.postings
	if len(q.Reports) > 0 {
		sum.reports = q.Reports
	}
	if keepBest {
		// The collector keeps size+4 hits (see below), each subset n+4.
		sum.keep = append(sum.keep, sumKeep{nil, size + 4})
		for _, sub := range subsets {
			sum.keep = append(sum.keep, sumKeep{sub.Reports, subsetSize(sub) + 4})
		}
	}
	var root query.Query = sum
	var tap *tapQuery
	if len(subsets) > 0 {
		tap = &tapQuery{inner: root, sets: &s.docSets}
		for _, sub := range subsets {
			tap.subsets = append(tap.subsets, &subsetTop{reports: sub.Reports, size: subsetSize(sub) + 4})
		}
		root = tap
	}
	// Ask for a few extra hits: hits of reports missing from the catalog
	// (a removal interrupted midway) are dropped below.
	req := bleve.NewSearchRequestOptions(root, size+4, 0, false)
	res, err := s.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, fmt.Errorf("index: search: %w", err)
	}
	if tap != nil && tap.err != nil {
		return nil, nil, fmt.Errorf("index: search: %w", tap.err)
	}
	found := make([]scored, len(res.Hits))
	for i, h := range res.Hits {
		found[i] = scored{h.ID, h.Score}
	}
	hits := s.toHits(found, size)
	if q.WantMatched {
		if err := s.matched(ctx, hits, terms, sectionBoost > 0); err != nil {
			return nil, nil, err
		}
	}
	subHits := make([][]Hit, len(subsets))
	if tap != nil {
		for i, st := range tap.subsets {
			subHits[i] = s.toHits(st.found, st.size-4)
		}
	}
	return hits, subHits, nil
}

// keepBest has searches hand bleve's collector only the paragraphs that
// can be among the hits (sumQuery.keep); tests turn it off to compare.
var keepBest = true

// subsetSize is how many hits a subset asks for.
func subsetSize(sub Subset) int {
	if sub.Size <= 0 {
		return defaultSize
	}
	return sub.Size
}

// scored is a paragraph ID found by bleve with its score.
type scored struct {
	id    string
	score float64
}

// toHits turns bleve's best paragraphs into at most size hits, dropping
// those of reports missing from the catalog.
func (ix *state) toHits(found []scored, size int) []Hit {
	hits := make([]Hit, 0, min(len(found), size))
	ix.mu.RLock()
	for _, h := range found {
		i := strings.LastIndex(h.id, "#")
		if i <= 0 || ix.entries[h.id[:i]] == nil {
			continue
		}
		hits = append(hits, Hit{Report: h.id[:i], Paragraph: h.id, Score: h.score})
		if len(hits) == size {
			break
		}
	}
	ix.mu.RUnlock()
	for i := range hits {
		h := &hits[i]
		seq, ok := seqFromID(h.Paragraph)
		if !ok {
			// A paragraph ID of another form: ask the catalog.
			if _, p, err := ix.paragraph(h.Paragraph); err == nil {
				seq = p.Seq
			}
		}
		h.Seq = seq
	}
	return hits
}

// matched fills the hits' Matched terms. The index keeps no term positions
// (they tripled its size, and only this needs them), so it reads, for each
// query term, the term's posting list in the text (and section) field and
// looks the hits up in it: a few microseconds per term.
func (ix *state) matched(ctx context.Context, hits []Hit, terms []queryTerm, section bool) error {
	if len(hits) == 0 {
		return nil
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return fmt.Errorf("index: search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("index: search: %w", err)
	}
	defer r.Close()
	// Internal IDs in posting order, each with its hit.
	type doc struct {
		id  bindex.IndexInternalID
		hit int
	}
	docs := make([]doc, 0, len(hits))
	for i := range hits {
		id, err := r.InternalID(hits[i].Paragraph)
		if err != nil || id == nil {
			continue // removed since the search
		}
		docs = append(docs, doc{id, i})
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].id.Compare(docs[j].id) < 0 })
	fields := []string{fieldText}
	if section {
		fields = append(fields, fieldSection)
	}
	found := make([]bool, len(hits))
	for _, t := range terms {
		if t.weight <= 0 {
			continue
		}
		clear(found)
		for _, f := range fields {
			tfr, err := r.TermFieldReader(ctx, []byte(t.term), f, false, false, false)
			if err != nil {
				return fmt.Errorf("index: search: %w", err)
			}
			var td bindex.TermFieldDoc
			for _, d := range docs {
				got, err := tfr.Advance(d.id, &td)
				if err != nil {
					tfr.Close()
					return fmt.Errorf("index: search: %w", err)
				}
				if got == nil {
					break
				}
				if got.ID.Equals(d.id) {
					found[d.hit] = true
				}
			}
			tfr.Close()
		}
		for i, ok := range found {
			if ok {
				hits[i].Matched = append(hits[i].Matched, t.term)
			}
		}
	}
	return nil
}

// DocFreq returns the number of paragraphs whose text field contains the
// analysed term term; useful as IDF for question words.
func (ix *Index) DocFreq(term string) int {
	s := ix.acquire()
	defer s.release()
	term = foldString(strings.TrimSpace(term))
	if term == "" {
		return 0
	}
	adv, err := s.bi.Advanced()
	if err != nil {
		return 0
	}
	r, err := adv.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false)
	if err != nil {
		return 0
	}
	defer tfr.Close()
	return int(tfr.Count())
}

// NumParagraphs returns the number of indexed paragraphs.
func (ix *Index) NumParagraphs() int {
	s := ix.acquire()
	defer s.release()
	n, err := s.bi.DocCount()
	if err != nil {
		return 0
	}
	return int(n)
}

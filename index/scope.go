package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
)

// scopeQuery matches root's hits in the paragraphs of reports, each scored
// as by root alone. It is a bleve filter whose membership test is a bitset
// of the reports' paragraphs, read once from their postings, where bleve's
// filter steps a disjunction of one term per report for every hit: over
// the national reports of a corpus replicated to 1,000 reports (290 report
// terms, more than half of the paragraphs) that stepping was the larger
// part of answering a question that names no place.
type scopeQuery struct {
	root    query.Query
	reports []string
}

// Searcher implements query.Query.
func (q *scopeQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	var in bitset
	var td bindex.TermFieldDoc
	for _, id := range q.reports {
		tfr, err := r.TermFieldReader(ctx, []byte(id), fieldReport, false, false, false)
		if err != nil {
			return nil, err
		}
		for {
			d, err := tfr.Next(&td)
			if err != nil {
				tfr.Close()
				return nil, err
			}
			if d == nil {
				break
			}
			if len(d.ID) != 8 {
				// Not scorch's numeric document IDs: bleve's own filter.
				tfr.Close()
				return q.filtered().Searcher(ctx, r, m, opts)
			}
			in.add(d.ID.Value())
		}
		if err := tfr.Close(); err != nil {
			return nil, err
		}
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

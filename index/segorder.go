package index

import (
	"cmp"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v16"
)

// orderedZap is zap's segment plugin (the version the index is built
// with) with a batch's documents numbered in the order of their IDs:
// scorch numbers them as their analysis finishes, so a report's paragraphs
// were spread over its batch's 1,500 documents, ~100 runs of document
// numbers a report. In ID order each report's paragraphs are one run
// (merges append segments), and a search restricted to a place's reports
// reads its postings in as many ranges as it has reports, not thousands;
// builds of the same reports number them alike. The files are zap's own.
type orderedZap struct{ scorch.SegmentPlugin }

// It replaces zap v16 in scorch's registry: the version impl.go forces.
func init() { scorch.RegisterSegmentPlugin(orderedZap{&zap.ZapPlugin{}}, false) }

// New implements scorch.SegmentPlugin.
func (p orderedZap) New(results []bindex.Document) (segment.Segment, uint64, error) {
	sortByID(results)
	return p.SegmentPlugin.New(results)
}

// NewUsing implements scorch.SegmentPlugin.
func (p orderedZap) NewUsing(results []bindex.Document, config map[string]any) (segment.Segment, uint64, error) {
	sortByID(results)
	return p.SegmentPlugin.NewUsing(results, config)
}

// sortByID orders documents by report, then paragraph number (IDs of the
// form ordinalID parses; others by ID after them).
func sortByID(docs []bindex.Document) {
	type key struct {
		rid string
		seq int
		ok  bool
	}
	keys := make(map[bindex.Document]key, len(docs))
	for _, d := range docs {
		rid, seq, ok := ordinalID(d.ID())
		if !ok {
			rid = d.ID()
		}
		keys[d] = key{rid, seq, ok}
	}
	slices.SortStableFunc(docs, func(a, b bindex.Document) int {
		ka, kb := keys[a], keys[b]
		if c := cmp.Compare(ka.rid, kb.rid); c != 0 {
			return c
		}
		return cmp.Compare(ka.seq, kb.seq)
	})
}

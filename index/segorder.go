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
// form ordinalID parses; others by ID, as a report of their own).
func sortByID(docs []bindex.Document) {
	type keyed struct {
		rid string
		seq int
		doc bindex.Document
	}
	ks := make([]keyed, len(docs))
	for i, d := range docs {
		rid, seq, ok := ordinalID(d.ID())
		if !ok {
			rid, seq = d.ID(), 0
		}
		ks[i] = keyed{rid, seq, d}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.rid, b.rid), cmp.Compare(a.seq, b.seq))
	})
	for i, k := range ks {
		docs[i] = k.doc
	}
}

package index

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestScopeQueryMatchesBleveFilter checks that scopeQuery's bitset gives
// exactly what bleve's filter on the report terms gives: the same hits in
// the same order with bit-identical scores.
func TestScopeQueryMatchesBleveFilter(t *testing.T) {
	ix, err := OpenMemory(twoReports("推进行政复议规范化建设，行政复议案件办理质效提升。"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, tt := range []struct {
		text    string
		reports []string
	}{
		{"行政复议案件", []string{"2024-fangxian-fzzf"}},
		{"行政复议案件", []string{"2024-testcounty"}},
		{"法治政府建设 行政执法 规范化", []string{"2024-fangxian-fzzf", "2024-testcounty"}},
		{"行政复议", []string{"no-such-report"}},
	} {
		t.Run(tt.text, func(t *testing.T) {
			var should []query.Query
			for _, qt := range ix.queryTerms(Query{Text: tt.text}) {
				for _, f := range []string{fieldText, fieldSection} {
					tq := query.NewTermQuery(qt.term)
					tq.SetField(f)
					tq.SetBoost(qt.weight)
					should = append(should, tq)
				}
			}
			root := query.NewDisjunctionQuery(should)
			sq := &scopeQuery{root: root, reports: tt.reports}
			got, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(sq, 1000, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			want, err := ix.bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(sq.filtered(), 1000, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Hits) != len(want.Hits) {
				t.Fatalf("%d hits, bleve's filter %d", len(got.Hits), len(want.Hits))
			}
			for i := range got.Hits {
				if g, w := got.Hits[i], want.Hits[i]; g.ID != w.ID || g.Score != w.Score {
					t.Errorf("hit %d: %s %v, bleve's filter %s %v", i, g.ID, g.Score, w.ID, w.Score)
				}
			}
		})
	}
}

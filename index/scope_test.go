package index

import (
	"context"
	"fmt"
	"math"
	"slices"
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
			for _, qt := range ix.st().queryTerms(Query{Text: tt.text}) {
				for _, f := range []string{fieldText, fieldSection} {
					tq := query.NewTermQuery(qt.term)
					tq.SetField(f)
					tq.SetBoost(qt.weight)
					should = append(should, tq)
				}
			}
			root := query.NewDisjunctionQuery(should)
			sq := &scopeQuery{root: root, reports: tt.reports}
			got, err := ix.st().bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(sq, 1000, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			want, err := ix.st().bi.SearchInContext(ctx, bleve.NewSearchRequestOptions(sq.filtered(), 1000, 0, false))
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

// TestSearchSubsets checks that the subsets' hits from one pass are those
// a search restricted to each subset returns, and the main hits Search's.
func TestSearchSubsets(t *testing.T) {
	ix, err := OpenMemory(twoReports("推进行政复议规范化建设，行政复议案件办理质效提升。"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	subsets := []Subset{
		{Reports: []string{"2024-fangxian-fzzf"}, Size: 5},
		{Reports: []string{"2024-testcounty"}, Size: 3},
		{Reports: []string{"2024-fangxian-fzzf", "2024-testcounty"}},
		{Reports: []string{"no-such-report"}},
	}
	for _, text := range []string{"行政复议案件", "法治政府建设 行政执法 规范化"} {
		q := Query{Text: text, Size: 4}
		hits, sub, err := ix.SearchSubsets(ctx, q, subsets...)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		sameHits(t, text, hits, want)
		if len(sub) != len(subsets) {
			t.Fatalf("%d subset results for %d subsets", len(sub), len(subsets))
		}
		for i, s := range subsets {
			want, err := ix.Search(ctx, Query{Text: text, Reports: s.Reports, Size: s.Size})
			if err != nil {
				t.Fatal(err)
			}
			sameHits(t, fmt.Sprintf("%s %v", text, s.Reports), sub[i], want)
		}
	}
}

// sameHits compares hits up to the ulps bleve's summation order may add.
func sameHits(t *testing.T, name string, got, want []Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d hits, want %d", name, len(got), len(want))
		return
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Report != w.Report || g.Seq != w.Seq || math.Abs(g.Score-w.Score) > 1e-12*w.Score {
			t.Errorf("%s: hit %d is %s %.17g, want %s %.17g", name, i, g.Paragraph, g.Score, w.Paragraph, w.Score)
		}
	}
}

// TestScopeAfterUpdate checks that a restriction read before an update is
// not reused after it: document numbers change with the snapshot.
func TestScopeAfterUpdate(t *testing.T) {
	ix, err := OpenMemory(twoReports("推进行政复议规范化建设。"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	scope := []string{"2024-fangxian-fzzf", "2024-testcounty", "2024-third"}
	check := func(when string, want int) {
		t.Helper()
		hits, err := ix.Search(ctx, Query{Text: "行政复议", Reports: scope, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		all, err := ix.Search(ctx, Query{Text: "行政复议", Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != len(all) {
			t.Errorf("%s: %d hits in scope, %d in all (every report is in scope)", when, len(hits), len(all))
		}
		n := 0
		for _, h := range hits {
			if h.Report == "2024-third" {
				n++
			}
		}
		if n != want {
			t.Errorf("%s: %d hits of the third report, want %d", when, n, want)
		}
	}
	check("before", 0)
	check("before, again", 0) // from the cache
	third := parseTestReport("2024-third", "第三县人民政府工作报告\n一、主要工作\n行政复议案件全部办结。\n")
	if _, err := ix.Add(ctx, third); err != nil {
		t.Fatal(err)
	}
	check("after adding the third report", 1)
	if err := ix.Remove(ctx, "2024-testcounty"); err != nil {
		t.Fatal(err)
	}
	check("after removing the second", 1)
}

// TestDocSetCacheKeepsSets: the document sets of more report sets than a
// count-bounded cache held are all kept (the bound is in bytes), each the
// set reportDocs reads, and a second round finds them cached.
func TestDocSetCacheKeepsSets(t *testing.T) {
	all, _ := sharedReports(t)
	ix, err := OpenMemory(all[:50])
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r := indexReader(t, ix)
	defer r.Close()
	ctx := context.Background()
	var c docSetCache
	var scopes [][]string
	for i := range 40 {
		scopes = append(scopes, []string{all[i].ID, all[i+10].ID})
	}
	for round := range 2 {
		for _, sc := range scopes {
			got, ok, err := c.get(ctx, r, sc)
			if err != nil || !ok {
				t.Fatalf("get %v: %v, %v", sc, ok, err)
			}
			want, _, _ := reportDocs(ctx, r, sc)
			if !slices.Equal(got.ranges(), want.ranges()) {
				t.Fatalf("round %d: the set of %v differs from reportDocs'", round, sc)
			}
			for n := range uint64(len(want) * 64) {
				if got.has(n) != want.has(n) {
					t.Fatalf("round %d: the set of %v has %d: %v, reportDocs' %v", round, sc, n, got.has(n), want.has(n))
				}
			}
		}
		if n := c.sets.len(); n != len(scopes) {
			t.Errorf("round %d: %d sets kept of %d", round, n, len(scopes))
		}
	}
}

package index

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFullCorpus indexes every shared report into a data directory, reopens
// it and checks the catalog and a few searches against the parsed reports.
func TestFullCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the whole shared corpus; skipped in -short")
	}
	reports, size := sharedReports(t)
	dir := t.TempDir()
	ctx := context.Background()
	st, err := Update(ctx, dir, reports)
	if err != nil {
		t.Fatal(err)
	}
	paras := 0
	for _, r := range reports {
		paras += len(r.Paragraphs)
	}
	t.Logf("indexed %d reports, %d paragraphs, %.1f MB in %v (%.2f MB/s)",
		st.Added, st.Paragraphs, float64(size)/1e6, st.Elapsed.Round(time.Millisecond), float64(size)/1e6/st.Elapsed.Seconds())
	if st.Added != len(reports) || st.Paragraphs != paras {
		t.Errorf("stats %+v, want %d added, %d paragraphs", st, len(reports), paras)
	}

	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.NumParagraphs() != paras {
		t.Errorf("NumParagraphs = %d, want %d", ix.NumParagraphs(), paras)
	}
	infos := ix.Reports()
	if len(infos) != len(reports) {
		t.Fatalf("Reports() has %d, want %d", len(infos), len(reports))
	}
	for i := 1; i < len(infos); i++ {
		if infos[i].Year > infos[i-1].Year {
			t.Fatalf("Reports() not newest first at %d", i)
		}
	}

	// Each query must find, among its top hits, a paragraph containing the
	// given text.
	tests := []struct {
		query, contains string
	}{
		{"行政复议案件", "共办理行政复议案件45件"},
		{"优化营商环境", "营商环境"},
		{"一网通办", "一网通办"},
		{"新质生产力", "新质生产力"},
		{"城镇调查失业率", "城镇调查失业率"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := ix.Search(ctx, Query{Text: tt.query, Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			ok := slices.ContainsFunc(hits, func(h Hit) bool {
				_, p, err := ix.Paragraph(h.Paragraph)
				return err == nil && containsFold(p.Text, tt.contains)
			})
			if !ok {
				t.Errorf("top %d hits for %q contain no paragraph with %q", len(hits), tt.query, tt.contains)
			}
		})
	}

	// Unchanged reports are skipped on refresh.
	st, err = ix.Add(ctx, reports[:10]...)
	if err != nil {
		t.Fatal(err)
	}
	if st.Unchanged != 10 || st.Added+st.Updated != 0 {
		t.Errorf("refresh stats %+v, want 10 unchanged", st)
	}
}

// containsFold reports whether s contains sub after width folding.
func containsFold(s, sub string) bool {
	return strings.Contains(foldString(s), foldString(sub))
}

package index

import (
	"context"
	"testing"

	"github.com/govbot/govbot/corpus"
)

// TestReportsAreRuns checks that a built index numbers each report's
// paragraphs as one run of documents, however its batches' analysis
// finished: a restricted search reads a report's postings in one range.
func TestReportsAreRuns(t *testing.T) {
	all, _ := sharedReports(t)
	var reports []*corpus.Report
	for i := 0; i < len(all); i += 3 {
		reports = append(reports, all[i])
	}
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Update(ctx, dir, reports); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r := indexReader(t, ix)
	defer r.Close()
	for _, rep := range reports {
		in, ok, err := reportDocs(ctx, r, []string{rep.ID})
		if err != nil || !ok {
			t.Fatalf("%s: %v, %v", rep.ID, ok, err)
		}
		if rs := in.ranges(); len(rs) != 1 {
			t.Errorf("%s: its %d paragraphs are %d runs of documents, want 1", rep.ID, len(rep.Paragraphs), len(rs))
		}
	}
}

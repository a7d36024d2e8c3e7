package answer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/sharedtest"
)

// TestReportAddedLater checks that a report added to an open index (as
// `govbot add` and the watcher do) is in scope once the engine refreshes:
// its issuer is known, and its year becomes the newest for 去年/今年.
func TestReportAddedLater(t *testing.T) {
	dir := sharedtest.Reports(t)
	e, err := buildEngine(dir, t.TempDir(), []string{"2025-state-council-gwr.txt", "2025-hubei-gwr.txt"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	a := ask(t, e, nil, "广东去年城镇新增就业多少")
	dfBefore := e.dfs.DocFreq("就业")
	if a.Answered || !strings.Contains(a.Reason, "没有收录广东") {
		t.Fatalf("before adding Guangdong: %s", describe(a))
	}
	a = ask(t, e, nil, "湖北去年地区生产总值是多少")
	if a.Figure == nil || a.Figure.Text != "60013亿元" {
		t.Fatalf("Hubei before its 2026 report: %s", describe(a))
	}

	man, err := corpus.LoadManifest(filepath.Join(dir, corpus.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var reps []*corpus.Report
	for _, f := range []string{"2025-guangdong-gwr.txt", "2026-hubei-gwr.txt"} {
		r, err := corpus.ParseFile(filepath.Join(dir, f), man[f])
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	if _, err := e.Add(context.Background(), reps...); err != nil {
		t.Fatal(err)
	}
	// The words' weights count the new paragraphs.
	if got, want := e.dfs.DocFreq("就业"), e.ix.DocFreq("就业"); got != want || got <= dfBefore {
		t.Errorf("document frequency of 就业 after adding: %d cached, %d in the index, %d before", got, want, dfBefore)
	}
	if got, want := e.dfs.NumParagraphs(), e.ix.NumParagraphs(); got != want {
		t.Errorf("paragraphs after adding: %d cached, %d in the index", got, want)
	}

	a = ask(t, e, nil, "广东去年城镇新增就业多少")
	if a.Figure == nil || a.Figure.Text != "143万人" {
		t.Errorf("after adding Guangdong: %s", describe(a))
	}
	// 去年 now counts from Hubei's 2026 report.
	a = ask(t, e, nil, "湖北去年地区生产总值是多少")
	if a.Figure == nil || a.Figure.Text != "62661亿元" || a.Answers[0].Report.ID != "2026-hubei-gwr" {
		t.Errorf("Hubei after its 2026 report: %s", describe(a))
	}
}

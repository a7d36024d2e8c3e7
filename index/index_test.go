package index

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
)

func TestAnalyzerTokens(t *testing.T) {
	an, err := registry.NewCache().AnalyzerNamed(AnalyzerName)
	if err != nil {
		t.Fatalf("analyzer %q not registered: %v", AnalyzerName, err)
	}
	tests := []struct {
		text     string
		want     string // a term that must be emitted
		position int    // its position
		subOf    string // a term it must share that position with
	}{
		{"深入推进首违不罚清单制度", "首违不罚", 3, ""},
		{"共办理行政复议案件45件", "复议", 2, "行政复议"},
		{"全面落实一村一法律顾问制度", "法律顾问", 2, "一村一法律顾问"},
		{"ＧＤＰ增长５．２％", "5.2", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ts := an.Analyze([]byte(tt.text))
			var found bool
			for i, tok := range ts {
				if tok.Position < 1 {
					t.Errorf("token %q at position %d, want 1-based", tok.Term, tok.Position)
				}
				if i > 0 && tok.Position < ts[i-1].Position {
					t.Errorf("positions go backwards at %q", tok.Term)
				}
				src := foldString(tt.text[tok.Start:tok.End])
				if src != string(tok.Term) {
					t.Errorf("token %q has offsets [%d,%d) spanning %q", tok.Term, tok.Start, tok.End, src)
				}
				if string(tok.Term) != tt.want {
					continue
				}
				found = true
				if tok.Position != tt.position {
					t.Errorf("%q at position %d, want %d", tt.want, tok.Position, tt.position)
				}
				if tt.subOf != "" && !slices.ContainsFunc(ts, func(o *analysisToken) bool {
					return string(o.Term) == tt.subOf && o.Position == tok.Position
				}) {
					t.Errorf("%q does not share position %d with %q", tt.want, tok.Position, tt.subOf)
				}
			}
			if !found {
				t.Errorf("no token %q in %v", tt.want, ts)
			}
		})
	}
}

// TestPhraseQueryWithSubWords checks that the analyzer's positions suit
// phrase queries. govbot's index keeps no term vectors (no query of its needs
// them), so the test builds one with them on the text field.
func TestPhraseQueryWithSubWords(t *testing.T) {
	im := newMapping(AnalyzerName)
	im.DefaultMapping.Properties[fieldText].Fields[0].IncludeTermVectors = true
	bi, err := bleve.NewUsing("", im, bleve.Config.DefaultIndexType, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	rep := sampleReport()
	b := bi.NewBatch()
	for i := range rep.Paragraphs {
		p := &rep.Paragraphs[i]
		if err := b.Index(docID(rep, p), paragraphDoc(rep, p)); err != nil {
			t.Fatal(err)
		}
	}
	if err := bi.Batch(b); err != nil {
		t.Fatal(err)
	}
	ix := newIndex("", newState("", "", bi, AnalyzerName, nil, Options{}), Options{})
	want := findParagraph(t, sampleReport(), "共办理行政复议案件45件")
	tests := []struct {
		phrase string
		hit    bool
	}{
		{"行政复议案件", true},
		{"复议案件", true}, // 复议 is a sub-word of 行政复议
		{"办理行政复议案件45件", true},
		{"案件行政复议", false}, // same words, wrong order
	}
	for _, tt := range tests {
		t.Run(tt.phrase, func(t *testing.T) {
			q := bleve.NewMatchPhraseQuery(tt.phrase)
			q.SetField(fieldText)
			res, err := ix.st().bi.Search(bleve.NewSearchRequestOptions(q, 100, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(res.Hits, func(h *searchHit) bool { return h.ID == want })
			if got != tt.hit {
				t.Errorf("phrase %q finds %s: %v, want %v (%d hits)", tt.phrase, want, got, tt.hit, len(res.Hits))
			}
		})
	}
}

func TestUpdateOpenSearch(t *testing.T) {
	dir := t.TempDir()
	rep := sampleReport()
	st, err := Update(context.Background(), dir, []*corpus.Report{rep})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 1 || st.Paragraphs != len(rep.Paragraphs) || st.Bytes == 0 {
		t.Errorf("stats %+v, want 1 added, %d paragraphs", st, len(rep.Paragraphs))
	}

	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.NumParagraphs(); n != len(rep.Paragraphs) {
		t.Errorf("NumParagraphs = %d, want %d", n, len(rep.Paragraphs))
	}
	// 城中村 is in no paragraph of the sample: never matched.
	hits, err := ix.Search(context.Background(), Query{Text: "行政复议案件有多少件？城中村", Size: 3, WantMatched: true})
	if err != nil {
		t.Fatal(err)
	}
	want := findParagraph(t, rep, "共办理行政复议案件45件")
	i := slices.IndexFunc(hits, func(h Hit) bool { return h.Paragraph == want })
	if i < 0 {
		t.Fatalf("top hits %+v lack %s", hits, want)
	}
	if h := hits[i]; h.Report != rep.ID || h.Seq != 25 || !slices.Contains(h.Matched, "行政复议") || !slices.Contains(h.Matched, "案件") || slices.Contains(h.Matched, "城中村") {
		t.Errorf("hit %+v: want report %s, seq 25, matched 行政复议 and 案件, not 城中村", h, rep.ID)
	}
	hits, err = ix.Search(context.Background(), Query{Text: "行政复议案件有多少件？", Size: 3})
	if err != nil || len(hits) == 0 || hits[0].Matched != nil {
		t.Errorf("without WantMatched: %v, %+v", err, hits)
	}
	r, p, err := ix.Paragraph(want)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != rep.ID || !strings.Contains(p.Text, "共办理行政复议案件45件") {
		t.Errorf("Paragraph(%s) = %s, %q", want, r.ID, p.Text)
	}
	infos := ix.Reports()
	if len(infos) != 1 || infos[0].ID != rep.ID || infos[0].Paragraphs != len(rep.Paragraphs) {
		t.Errorf("Reports() = %+v", infos)
	}
	if df := ix.DocFreq("行政复议"); df < 2 {
		t.Errorf("DocFreq(行政复议) = %d, want several paragraphs", df)
	}
	if df := ix.DocFreq("量子纠缠"); df != 0 {
		t.Errorf("DocFreq(量子纠缠) = %d, want 0", df)
	}
	m, ok := ix.st().bi.Mapping().(*mapping.IndexMappingImpl)
	if !ok || m.ScoringModel != "bm25" {
		t.Errorf("reopened index mapping scoring model = %q, want bm25", m.ScoringModel)
	}
}

func TestOpenNoIndex(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNoIndex) {
		t.Errorf("Open(empty dir) error = %v, want ErrNoIndex", err)
	}
}

// twoReports returns the sample and a small second report.
func twoReports(extra string) []*corpus.Report {
	other := parseTestReport("2024-testcounty", "测试县人民政府工作报告\n一、主要工作\n全年新建高标准农田3万亩。\n"+extra+"\n")
	return []*corpus.Report{sampleReport(), other}
}

func searchFinds(t *testing.T, ix *Index, text, report string) bool {
	t.Helper()
	hits, err := ix.Search(context.Background(), Query{Text: text, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(hits, func(h Hit) bool { return h.Report == report })
}

func TestUpdateRefreshesChangedOnly(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := Update(ctx, dir, twoReports("积极推进城中村改造。")); err != nil {
		t.Fatal(err)
	}
	changed := twoReports("全面推行带押过户。")
	st, err := Update(ctx, dir, changed)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 0 || st.Updated != 1 || st.Unchanged != 1 || st.Paragraphs != len(changed[1].Paragraphs) {
		t.Errorf("stats %+v, want 0 added, 1 updated, 1 unchanged, %d paragraphs", st, len(changed[1].Paragraphs))
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !searchFinds(t, ix, "带押过户", "2024-testcounty") {
		t.Error("new text of the changed report not found")
	}
	if searchFinds(t, ix, "城中村改造", "2024-testcounty") {
		t.Error("old text of the changed report still found")
	}
	if want := len(changed[0].Paragraphs) + len(changed[1].Paragraphs); ix.NumParagraphs() != want {
		t.Errorf("NumParagraphs = %d, want %d", ix.NumParagraphs(), want)
	}

	// Removing is explicit; a later update without the report keeps it.
	if err := ix.Remove(ctx, "2024-testcounty"); err != nil {
		t.Fatal(err)
	}
	if searchFinds(t, ix, "带押过户", "2024-testcounty") || len(ix.Reports()) != 1 {
		t.Errorf("removed report still present: %d reports", len(ix.Reports()))
	}
	gdir, err := CurrentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gdir, catalogDir, "2024-testcounty.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("catalog file of removed report: %v", err)
	}
}

func TestFailedUpdateKeepsOldIndex(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		cancelAt    int // cancel before the n-th batch commits (1-based)
		wantNewText bool
	}{
		// An update is all or nothing: a new generation made current when
		// whole (issue 13, defect 6).
		{"before first batch", 1, false},
		{"between batches", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := Update(ctx, dir, twoReports("积极推进城中村改造。")); err != nil {
				t.Fatal(err)
			}
			// One report per batch: the changed report first, then a new one.
			defer func(n int) { batchParagraphs, testHookBeforeBatch = n, nil }(batchParagraphs)
			batchParagraphs = 1
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			calls := 0
			testHookBeforeBatch = func() {
				if calls++; calls == tt.cancelAt {
					cancel()
				}
			}
			changed := twoReports("全面推行带押过户。")[1]
			third := parseTestReport("2024-third", "第三份报告\n推进一网通办改革。\n")
			_, err := Update(cctx, dir, []*corpus.Report{changed, third})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Update error = %v, want context.Canceled", err)
			}
			testHookBeforeBatch = nil
			prefetched.Lock()
			left := len(prefetched.m)
			prefetched.Unlock()
			if left > 0 {
				t.Errorf("%d token streams analysed ahead left behind", left)
			}

			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if !searchFinds(t, ix, "行政复议案件", sampleReport().ID) {
				t.Error("old index no longer finds the sample report")
			}
			if got := searchFinds(t, ix, "带押过户", "2024-testcounty"); got != tt.wantNewText {
				t.Errorf("new text found = %v, want %v", got, tt.wantNewText)
			}
			if got := searchFinds(t, ix, "城中村改造", "2024-testcounty"); got == tt.wantNewText {
				t.Errorf("old text found = %v, want %v", got, !tt.wantNewText)
			}
			if searchFinds(t, ix, "一网通办", "2024-third") {
				t.Error("report of the failed batch is searchable")
			}
			r, err := ix.Report("2024-testcounty")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(r.Paragraphs[len(r.Paragraphs)-1].Text, "带押过户"); got != tt.wantNewText {
				t.Errorf("catalog has new text = %v, want %v", got, tt.wantNewText)
			}
			tmps, _ := filepath.Glob(filepath.Join(dir, "*", catalogDir, ".*tmp*"))
			if len(tmps) > 0 {
				t.Errorf("staged files left behind: %v", tmps)
			}
			if gens, _ := generations(dir); len(gens) != 1 {
				t.Errorf("generations after a failed update: %v, want the old one only", gens)
			}
			// A retry completes the update.
			st, err := ix.Add(ctx, changed, third)
			if err != nil {
				t.Fatal(err)
			}
			if st.Added != 1 || !searchFinds(t, ix, "一网通办", "2024-third") {
				t.Errorf("retry stats %+v, want the third report added and found", st)
			}
		})
	}
}

func TestSearchRestrictsReports(t *testing.T) {
	ix, err := OpenMemory(twoReports("推进行政复议规范化建设。"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		reports []string
		want    []string // reports that must appear
		not     []string // reports that must not
	}{
		{nil, []string{"2024-fangxian-fzzf", "2024-testcounty"}, nil},
		{[]string{"2024-testcounty"}, []string{"2024-testcounty"}, []string{"2024-fangxian-fzzf"}},
		{[]string{"2024-fangxian-fzzf"}, []string{"2024-fangxian-fzzf"}, []string{"2024-testcounty"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.reports, ","), func(t *testing.T) {
			hits, err := ix.Search(context.Background(), Query{Text: "行政复议", Reports: tt.reports, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tt.want {
				if !slices.ContainsFunc(hits, func(h Hit) bool { return h.Report == id }) {
					t.Errorf("no hit in %s", id)
				}
			}
			for _, id := range tt.not {
				if slices.ContainsFunc(hits, func(h Hit) bool { return h.Report == id }) {
					t.Errorf("hit in excluded %s", id)
				}
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Fatalf("hits not sorted by score at %d", i)
				}
			}
		})
	}
}

func TestSearchSectionAndTerms(t *testing.T) {
	ix, err := OpenMemory([]*corpus.Report{sampleReport()})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	// Terms alone, without Text, search too.
	hits, err := ix.Search(ctx, Query{Terms: []string{"行政复议"}, Size: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("Terms search: %v, %d hits", err, len(hits))
	}
	// No analysable words: no hits, no error.
	hits, err = ix.Search(ctx, Query{Text: "的？！"})
	if err != nil || len(hits) != 0 {
		t.Errorf("stop-word-only search: %v, %d hits", err, len(hits))
	}
	// Query syntax is not interpreted.
	if _, err := ix.Search(ctx, Query{Text: `+text:"行政" -report:x AND (`}); err != nil {
		t.Errorf("query syntax in text: %v", err)
	}
	// The section field scores: disabling it changes scores of paragraphs
	// under a heading naming the topic.
	with, err := ix.Search(ctx, Query{Text: "行政复议应诉", Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	without, err := ix.Search(ctx, Query{Text: "行政复议应诉", Size: 50, SectionBoost: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(with) <= len(without) {
		t.Errorf("section field adds no hits: %d with, %d without", len(with), len(without))
	}
}

// TestParsedSample indexes the sample as the real parser reads it, figures
// included, and checks that the catalog keeps the figures.
func TestParsedSample(t *testing.T) {
	rep, err := corpus.Parse(sample.FileName, sample.Fangxian, corpus.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Update(context.Background(), dir, []*corpus.Report{rep}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search(context.Background(), Query{Text: "房县共办理行政复议案件多少件", Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	_, p, err := ix.Paragraph(hits[0].Paragraph)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "行政复议案件45件") {
		t.Errorf("top hit %s is %q", hits[0].Paragraph, p.Text)
	}
	figures := 0
	for _, q := range rep.Paragraphs {
		figures += len(q.Figures)
	}
	if infos := ix.Reports(); len(infos) != 1 || infos[0].Figures != figures {
		t.Errorf("Reports() = %+v, want %d figures", infos, figures)
	}
	if len(p.Figures) == 0 {
		t.Errorf("catalog paragraph %s lost its figures", p.ID)
	}
}

// TestSearchRestrictionKeepsScores checks that restricting a search to
// reports only drops the other reports' paragraphs: the hits left score as
// in the unrestricted search (the restriction adds nothing, not even to the
// query norm).
func TestSearchRestrictionKeepsScores(t *testing.T) {
	ix, err := OpenMemory(twoReports("推进行政复议规范化建设，行政复议案件办理质效提升。"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	for _, text := range []string{"行政复议案件", "法治政府建设 行政执法", "规范化建设"} {
		all, err := ix.Search(ctx, Query{Text: text, Size: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"2024-fangxian-fzzf", "2024-testcounty"} {
			t.Run(text+"/"+id, func(t *testing.T) {
				var want []Hit
				for _, h := range all {
					if h.Report == id {
						want = append(want, h)
					}
				}
				got, err := ix.Search(ctx, Query{Text: text, Reports: []string{id}, Size: 1000})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) || len(got) == 0 {
					t.Fatalf("%d hits restricted, %d of the report unrestricted", len(got), len(want))
				}
				score := make(map[string]float64, len(want))
				for _, h := range want {
					score[h.Paragraph] = h.Score
				}
				for _, h := range got {
					// bleve may sum a hit's term scores in another order:
					// a few ulps, which may also swap equal scores.
					w, ok := score[h.Paragraph]
					if !ok || math.Abs(h.Score-w) > 1e-12*w {
						t.Errorf("%s scores %.17g restricted, %.17g unrestricted (found %v)", h.Paragraph, h.Score, w, ok)
					}
				}
			})
		}
	}
}

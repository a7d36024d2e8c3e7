package answer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/internal/sharedtest"
)

// TestJudge checks the judging rules, which must agree with
// ../shared/eval/score.py.
func TestJudge(t *testing.T) {
	cite := "行政复议案件45件"
	passage := func(excerpt string) []Passage { return []Passage{{Excerpt: excerpt}} }
	tests := []struct {
		name string
		it   EvalItem
		a    Answer
		ok   bool
		why  string
	}{
		{"figure", EvalItem{Kind: "figure", Expect: ExpectList{"45件"}, Cite: &cite},
			Answer{Answered: true, Figure: &Figure{Text: "45件"}, Answers: passage("共办理行政复议案件45件。")}, true, ""},
		{"figure any of list", EvalItem{Kind: "figure", Expect: ExpectList{"5%", "5.0%"}},
			Answer{Answered: true, Figure: &Figure{Text: "5.0%"}, Answers: passage("x")}, true, ""},
		{"wrong figure", EvalItem{Kind: "figure", Expect: ExpectList{"45件"}},
			Answer{Answered: true, Figure: &Figure{Text: "10件"}, Answers: passage("x")}, false, `figure "10件"`},
		{"uncited figure", EvalItem{Kind: "figure", Expect: ExpectList{"45件"}, Cite: &cite},
			Answer{Answered: true, Figure: &Figure{Text: "45件"}, Answers: passage("共45件。")}, false, "does not cite"},
		{"no answer", EvalItem{Kind: "passage", Cite: &cite}, Answer{}, false, "no answer"},
		{"passage", EvalItem{Kind: "passage", Cite: &cite}, Answer{Answered: true, Answers: passage("办理行政复议案件45件")}, true, ""},
		{"meta", EvalItem{Kind: "meta", Expect: ExpectList{"房县人民政府"}}, Answer{Answered: true, Reply: "发布机构：房县人民政府", Answers: passage("")}, true, ""},
		{"meta missed", EvalItem{Kind: "meta", Expect: ExpectList{"房县人民政府"}}, Answer{Answered: true, Reply: "发布机构：国务院", Answers: passage("")}, false, "misses the fact"},
		{"abstain", EvalItem{Kind: "abstain"}, Answer{Reason: "没有"}, true, ""},
		{"abstain answered", EvalItem{Kind: "abstain"}, Answer{Answered: true, Answers: passage("x")}, false, "found nothing"},
		{"unknown kind", EvalItem{Kind: "poem"}, Answer{Answered: true, Answers: passage("x")}, false, "unknown kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := Judge(&tt.it, &tt.a)
			if ok != tt.ok || (!ok && !strings.Contains(why, tt.why)) {
				t.Errorf("Judge = %v %q, want %v %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}

func evalAt(t *testing.T, e *Engine, path string, min int) {
	t.Helper()
	res, err := e.EvalFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Misses {
		t.Log(m)
	}
	t.Logf("%s: %d/%d %v", filepath.Base(path), res.Passed, res.Total, res.PerKind)
	if res.Passed < min {
		t.Errorf("%s: %d/%d, want at least %d", filepath.Base(path), res.Passed, res.Total, min)
	}
}

// TestEvalDefaultCorpus scores the seed questions on the embedded default
// corpus, as `go run ./cmd/govbot ask --json -` does on a fresh clone.
func TestEvalDefaultCorpus(t *testing.T) {
	dir := sharedtest.Eval(t)
	e, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	evalAt(t, e, filepath.Join(dir, "dev-seed.jsonl"), 20)
	// Further questions of the same kinds on the same report.
	evalAt(t, e, filepath.Join("testdata", "seed-extra.jsonl"), 29)
}

// TestEvalFullCorpus scores the question sets over all 117 shared reports:
// the county report must still win its own questions, the national and
// provincial questions must find their issuer and year; corpus-extra holds
// further questions of the same kinds over other reports.
func TestEvalFullCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the whole shared corpus; skipped with -short")
	}
	dir := sharedtest.Eval(t)
	e := fullEngine(t)
	evalAt(t, e, filepath.Join(dir, "dev-seed.jsonl"), 20)
	evalAt(t, e, filepath.Join(dir, "dev-corpus.jsonl"), 7)
	evalAt(t, e, filepath.Join("testdata", "corpus-extra.jsonl"), 140)
	// The county report must still win its own questions among 117 reports.
	evalAt(t, e, filepath.Join("testdata", "seed-extra.jsonl"), 29)
}

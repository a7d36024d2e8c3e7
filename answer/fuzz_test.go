package answer

import (
	"context"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var (
	fuzzOnce sync.Once
	fuzzEng  *Engine
	fuzzErr  error
)

// FuzzAsk asks arbitrary text of the default corpus: no panic, an answer
// with a reply, a figure only with a passage that marks it inside the excerpt.
func FuzzAsk(f *testing.F) {
	for _, s := range []string{"房县去年一共办了多少件行政复议案件?", "二〇二四年GDP", "24年", "这份报告的发布机构是谁",
		"湖北和北京2024年和2025年对比", "", "？", "年年年", "１９９８年粮食", "〇〇〇〇年", "网上办理率达到多少", "有哪些"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		fuzzOnce.Do(func() { fuzzEng, fuzzErr = OpenDefault() })
		if fuzzErr != nil {
			t.Fatal(fuzzErr)
		}
		var s Session
		a, err := fuzzEng.AskIn(context.Background(), &s, q)
		if err != nil {
			t.Fatalf("Ask(%q): %v", q, err)
		}
		if a.Reply == "" {
			t.Fatalf("Ask(%q): empty reply", q)
		}
		if a.Figure != nil {
			if len(a.Answers) == 0 {
				t.Fatalf("Ask(%q): figure without passage", q)
			}
			p := a.Answers[0]
			if p.Mark[1] > len(p.Excerpt) || p.Mark[0] > p.Mark[1] || !utf8.ValidString(p.Excerpt) {
				t.Fatalf("Ask(%q): bad mark %v in %q", q, p.Mark, p.Excerpt)
			}
			if p.Mark[1] > p.Mark[0] && !strings.Contains(a.Reply, "【"+p.Excerpt[p.Mark[0]:p.Mark[1]]+"】") {
				t.Fatalf("Ask(%q): reply does not mark the figure: %q", q, a.Reply)
			}
		}
	})
}

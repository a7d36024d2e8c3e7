package answer

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

var (
	worldOnce sync.Once
	worldEng  *Engine
	worldErr  error
)

// worldEngine returns the engine over ../shared/reports and
// ../shared/reports-local: every level of government, as the eval sets
// are scored.
func worldEngine(tb testing.TB) *Engine {
	tb.Helper()
	dir := sharedtest.Dir(tb)
	worldOnce.Do(func() {
		var reps []*corpus.Report
		for _, sub := range []string{"reports", "reports-local"} {
			rs, errs := corpus.LoadDir(filepath.Join(dir, sub))
			if len(errs) > 0 {
				worldErr = errors.Join(errs...)
				return
			}
			reps = append(reps, rs...)
		}
		data := filepath.Join(tmpRoot, "world")
		if _, err := index.Update(context.Background(), data, reps); err != nil {
			worldErr = fmt.Errorf("index %s: %w", data, err)
			return
		}
		worldEng, worldErr = Open(data)
	})
	if worldErr != nil {
		tb.Fatal(worldErr)
	}
	return worldEng
}

// TestEvalDevSets scores the question sets written by other people, the way
// people ask (colloquial words, places like 咱们县, figures that are not
// plain numbers), over every level of government, and the residents' set
// also on the embedded county report.
func TestEvalDevSets(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the whole shared corpus; skipped with -short")
	}
	dir := sharedtest.Eval(t)
	e := worldEngine(t)
	evalAt(t, e, filepath.Join(dir, "dev-county-chat.jsonl"), 14)
	evalAt(t, e, filepath.Join(dir, "dev-national.jsonl"), 16)
	evalAt(t, e, filepath.Join(dir, "dev-provincial.jsonl"), 22)
	evalAt(t, e, filepath.Join(dir, "dev-local.jsonl"), 10)
	d, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	evalAt(t, d, filepath.Join(dir, "dev-county-chat.jsonl"), 14)
}

// frame is one way people wrap a question: a prefix, a suffix, a filler,
// another way of writing its digits or years, or a word for their own place.
type frame struct {
	name string
	wrap func(q string) string
}

// trimAsk drops the question's own closing marks before a frame adds its own.
func trimAsk(q string) string { return strings.TrimRight(q, "?？!！。 ") }

// fullWidth writes ASCII digits and letters full-width (２０２５年, ＧＤＰ).
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' && r != '?' {
			return r - '!' + '！'
		}
		return r
	}, s)
}

// yearInDigits matches a four-digit year.
var yearInDigits = regexp.MustCompile(`(1[89]|20)(\d\d)年`)

// cnYears writes years in Chinese numerals (二〇二四年).
func cnYears(s string) string {
	return yearInDigits.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, r := range strings.TrimSuffix(m, "年") {
			b.WriteString(string([]rune("〇一二三四五六七八九")[r-'0']))
		}
		return b.String() + "年"
	})
}

// colloquialFrames are the frames every question is asked again in.
var colloquialFrames = []frame{
	{"请问", func(q string) string { return "请问" + q }},
	{"想问一下", func(q string) string { return "想问一下，" + q }},
	{"你好，", func(q string) string { return "你好，" + q }},
	{"您好！", func(q string) string { return "您好！" + q }},
	{"麻烦问下", func(q string) string { return "麻烦问下" + q }},
	{"我想知道", func(q string) string { return "我想知道" + q }},
	{"帮我查一下", func(q string) string { return "帮我查一下" + q }},
	{"打听一下", func(q string) string { return "打听一下，" + q }},
	{"小助手", func(q string) string { return "小助手，" + q }},
	{"请问 (space)", func(q string) string { return "请问 " + q }},
	{"我是老师。", func(q string) string { return "我是一名老师。" + q }},
	{"？", func(q string) string { return trimAsk(q) + "？" }},
	{"？？", func(q string) string { return trimAsk(q) + "??" }},
	{"呢", func(q string) string { return trimAsk(q) + "呢" }},
	{"啊", func(q string) string { return trimAsk(q) + "啊？" }},
	{"，谢谢", func(q string) string { return trimAsk(q) + "，谢谢" }},
	{"？谢谢！", func(q string) string { return trimAsk(q) + "？谢谢！" }},
	{"，麻烦了", func(q string) string { return trimAsk(q) + "，麻烦了" }},
	{"想了解一下…谢谢", func(q string) string { return "想了解一下" + trimAsk(q) + "，谢谢" }},
	{"请问一下…呢？", func(q string) string { return "请问一下，" + trimAsk(q) + "呢？" }},
	{"问一下…啊？", func(q string) string { return "问一下，" + trimAsk(q) + "啊？" }},
	{"大概多少", func(q string) string { return strings.Replace(q, "多少", "大概多少", 1) }},
	{"全角", fullWidth},
	{"汉字年份", cnYears},
	{"咱们国家", func(q string) string { return strings.Replace(q, "全国", "咱们国家", 1) }},
}

// sameAnswer is what must not change when a question is framed otherwise:
// whether it is answered, the figure, and the paragraph cited first.
func sameAnswer(a *Answer) string {
	fig, para := "", ""
	if a.Figure != nil {
		fig = a.Figure.Text
	}
	if len(a.Answers) > 0 {
		para = a.Answers[0].Paragraph
	}
	return fmt.Sprintf("%v|%s|%s", a.Answered, fig, para)
}

// minFrameInvariance is the least share of (question, frame) pairs whose
// first answer the frame must leave unchanged.
const minFrameInvariance = 0.97

// TestFrameInvariance asks every question of every dev set again inside
// each colloquial frame and counts the pairs whose first answer stays the
// same. A pair that turns a right answer wrong is listed.
func TestFrameInvariance(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes the whole shared corpus; skipped with -short")
	}
	dir := sharedtest.Eval(t)
	world := worldEngine(t)
	d, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// 咱们县 resolves on the county report alone: there it is 房县.
	countyFrames := append(append([]frame(nil), colloquialFrames...), frame{"咱们县", func(q string) string { return strings.Replace(q, "房县", "咱们县", 1) }})
	runs := []struct {
		set    string
		e      *Engine
		frames []frame
	}{
		{"dev-seed", world, colloquialFrames}, {"dev-corpus", world, colloquialFrames},
		{"dev-county-chat", world, colloquialFrames}, {"dev-national", world, colloquialFrames},
		{"dev-provincial", world, colloquialFrames}, {"dev-local", world, colloquialFrames},
		{"dev-seed", d, countyFrames}, {"dev-county-chat", d, countyFrames},
	}
	ctx := context.Background()
	var pairs, same int
	for _, r := range runs {
		items, err := ReadEvalItems(filepath.Join(dir, r.set+".jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range items {
			it := &items[i]
			base, err := r.e.Ask(ctx, it.Q)
			if err != nil {
				t.Fatal(err)
			}
			baseOK, _ := Judge(it, base)
			for _, f := range r.frames {
				v := f.wrap(it.Q)
				if v == it.Q {
					continue
				}
				a, err := r.e.Ask(ctx, v)
				if err != nil {
					t.Fatal(err)
				}
				pairs++
				if sameAnswer(a) == sameAnswer(base) {
					same++
					continue
				}
				if ok, why := Judge(it, a); baseOK && !ok {
					t.Logf("right → wrong: %s %s [%s] %q: %s", r.set, it.ID, f.name, v, why)
				}
			}
		}
	}
	share := float64(same) / float64(pairs)
	t.Logf("frame invariance: %d of %d (question, frame) pairs keep their first answer (%.1f%%)", same, pairs, 100*share)
	if share < minFrameInvariance {
		t.Errorf("frame invariance %.1f%%, want at least %.0f%%", 100*share, 100*minFrameInvariance)
	}
}

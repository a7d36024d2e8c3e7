package corpus

import (
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// MatchFields are the texts of r that subscription filters are matched
// against: the issuer, the title and the disclosure topic.
func MatchFields(r *Report) []string {
	return []string{r.Issuer, r.Title, r.Topic}
}

// Headline is one figure an announcement shows: the clause of the report
// that states it.
type Headline struct {
	// Clause is the report's own words around the figure; Figure is the
	// figure's text within it.
	Clause, Figure string
	// Section is the top-level heading the figure sits under.
	Section string
}

// Headline selection limits.
const (
	minHeadlines    = 3
	maxHeadlines    = 5
	maxClauseRunes  = 48
	minContextRunes = 2
)

// genericContexts are contexts that do not say what was counted.
var genericContexts = map[string]bool{
	"连续": true, "保持": true, "达到": true, "超过": true, "突破": true, "总量": true, "增长": true,
	"下降": true, "其中": true, "累计": true, "共": true, "全年": true, "分别": true, "约": true,
}

// Headlines picks the three to five figures an announcement shows: from
// the report's first top-level section (for a work report, the review of
// the past year, where its headline numbers are), in order, each with a
// unit and a context that says what was counted, durations and bare
// counts of years left out, no two with the same context or the same
// clause. When that section has fewer than three, later sections fill in.
func Headlines(r *Report) []Headline {
	first := ""
	for _, p := range r.Paragraphs {
		if len(p.Path) > 0 {
			first = p.Path[0].Text
			break
		}
	}
	var out []Headline
	seen := map[string]bool{}
	pick := func(inFirst bool) {
		for _, p := range r.Paragraphs {
			top := ""
			if len(p.Path) > 0 {
				top = p.Path[0].Text
			}
			if first != "" && (top == first) != inFirst {
				continue
			}
			for _, f := range p.Figures {
				if len(out) == maxHeadlines {
					return
				}
				if !headlineFigure(f) {
					continue
				}
				clause := clauseOf(p.Text, f.Start, f.End)
				ctx := strings.TrimSpace(f.Context)
				plain := strings.ReplaceAll(clause, "\x00", "")
				if clause == "" || seen["c:"+ctx] || seen["s:"+plain] {
					continue
				}
				seen["c:"+ctx], seen["s:"+plain] = true, true
				out = append(out, Headline{Clause: clause, Figure: f.Text, Section: top})
			}
		}
	}
	pick(true)
	if len(out) < minHeadlines && first != "" {
		pick(false)
	}
	return out
}

// headlineFigure says whether f can be a headline: a unit, a clear context,
// not a duration or date.
func headlineFigure(f Figure) bool {
	if f.BaseUnit == "" || f.Text == "" {
		return false
	}
	switch f.BaseUnit {
	case "年", "月", "日", "天", "周", "岁", "届", "时", "小时", "分钟", "秒":
		return false
	}
	ctx := strings.TrimSpace(f.Context)
	if utf8.RuneCountInString(ctx) < minContextRunes || genericContexts[ctx] || strings.HasSuffix(ctx, "连续") {
		return false
	}
	return true
}

// clauseOf returns the clause of text around the figure at [start, end):
// from the previous to the next clause mark, shortened around the figure
// to maxClauseRunes.
func clauseOf(text string, start, end int) string {
	if start < 0 || end > len(text) || start >= end || !utf8.RuneStart(text[start]) || (end < len(text) && !utf8.RuneStart(text[end])) {
		return ""
	}
	const marks = zhtext.ClauseBoundaries + "\n"
	lo := zhtext.ClauseStart(text[:start], marks)
	hi := end + zhtext.ClauseEnd(text[end:], marks)
	before := []rune(strings.TrimLeft(text[lo:start], " 　、,"))
	fig := text[start:end]
	after := []rune(text[end:hi])
	room := maxClauseRunes - utf8.RuneCountInString(fig)
	if len(before)+len(after) > room {
		keepAfter := min(len(after), max(room/3, room-len(before)))
		keepBefore := room - keepAfter
		if len(before) > keepBefore {
			before = append([]rune("…"), before[len(before)-keepBefore+1:]...)
		}
		if len(after) > keepAfter {
			after = append(after[:max(keepAfter-1, 0)], '…')
		}
	}
	return string(before) + "\x00" + fig + "\x00" + string(after)
}

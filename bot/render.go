package bot

import (
	"fmt"
	"html"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/govbot/govbot/answer"
)

// MaxMessageLen is Telegram's limit on a message's text. Replies are kept
// within it measured on the HTML source in UTF-16 code units, which is never
// shorter than what Telegram counts (the text after entity parsing).
const MaxMessageLen = 4096

// Caps on report-derived fields, so that only the excerpt ever needs
// shortening to fit a message.
const (
	maxTitleRunes    = 200
	maxIssuerRunes   = 100
	maxHeadingRunes  = 80
	maxHeadings      = 6
	maxContextRunes  = 60
	maxReasonRunes   = 1000 // the engine's reasons list the places and years covered
	maxSuggestions   = 8
	maxSuggestRunes  = 60
	maxQuestionShown = 120
)

// esc escapes text for Telegram's HTML parse mode. Every user- or
// report-derived string goes through it.
func esc(s string) string { return html.EscapeString(s) }

// tgLen is the length Telegram measures: UTF-16 code units.
func tgLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clip shortens s to at most n runes, ending in "…" when cut.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// safeURL returns u if it is an absolute http(s) URL, else "".
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

// markedExcerpt renders excerpt with the byte range mark in bold underline,
// keeping at most limit runes (limit < 0: no limit) in a window around the
// mark. A mark that is empty, out of range or not on rune boundaries is
// ignored rather than trusted.
func markedExcerpt(excerpt string, mark [2]int, limit int) string {
	a, b := mark[0], mark[1]
	if a < 0 || b > len(excerpt) || a >= b || !utf8.RuneStart(excerpt[a]) || (b < len(excerpt) && !utf8.RuneStart(excerpt[b])) {
		a, b = 0, 0
	}
	pre, mid, post := []rune(excerpt[:a]), []rune(excerpt[a:b]), []rune(excerpt[b:])
	total := len(pre) + len(mid) + len(post)
	lead, tail := "", ""
	if limit >= 0 && total > limit {
		if len(mid) > limit {
			mid = append(mid[:max(limit-1, 0)], '…')
			pre, post = nil, nil
		} else {
			room := limit - len(mid)
			before := min(len(pre), room/2)
			after := min(len(post), room-before)
			before = min(len(pre), room-after) // give unused room back to the left
			if before < len(pre) {
				pre, lead = pre[len(pre)-before:], "…"
			}
			if after < len(post) {
				post, tail = post[:after], "…"
			}
		}
	}
	var sb strings.Builder
	sb.WriteString(lead)
	sb.WriteString(esc(string(pre)))
	if len(mid) > 0 {
		sb.WriteString("<b><u>")
		sb.WriteString(esc(string(mid)))
		sb.WriteString("</u></b>")
	}
	sb.WriteString(esc(string(post)))
	sb.WriteString(tail)
	return sb.String()
}

// citation renders where a passage comes from: 《title》, issuer, section
// path, date and link.
func citation(p *answer.Passage) string {
	var sb strings.Builder
	r := p.Report
	if r.Title != "" {
		fmt.Fprintf(&sb, "📄 《%s》\n", esc(clip(strings.Trim(r.Title, "《》"), maxTitleRunes)))
	}
	var line []string
	if r.Issuer != "" {
		line = append(line, esc(clip(r.Issuer, maxIssuerRunes)))
	}
	if d := reportDate(r); d != "" {
		line = append(line, d)
	}
	if len(line) > 0 {
		sb.WriteString(strings.Join(line, " · "))
		sb.WriteByte('\n')
	}
	if len(p.Section) > 0 {
		secs := p.Section
		if len(secs) > maxHeadings {
			secs = append(append([]string{}, secs[:1]...), secs[len(secs)-maxHeadings+1:]...)
		}
		parts := make([]string, len(secs))
		for i, s := range secs {
			parts[i] = esc(clip(s, maxHeadingRunes))
		}
		fmt.Fprintf(&sb, "📍 %s\n", strings.Join(parts, " › "))
	}
	if u := safeURL(r.URL); u != "" {
		fmt.Fprintf(&sb, "🔗 <a href=\"%s\">原文链接</a>\n", esc(u))
	}
	return strings.TrimRight(sb.String(), "\n")
}

func reportDate(r answer.ReportRef) string {
	switch {
	case !r.Published.IsZero():
		return r.Published.Format("2006-01-02")
	case r.Year != 0:
		return strconv.Itoa(r.Year) + "年"
	}
	return ""
}

// figureText is the figure as a reader expects it, approximation included:
// the headline of Layout, so chat and terminal word it alike.
func figureText(f *answer.Figure) string {
	return answer.Layout(&answer.Answer{Answered: true, Figure: f}).Headline
}

// minRelatedShare is how much of the best passage's score a further passage
// needs to be offered under 更多结果: the engine lists up to ten passages
// and the tail of that list shares few of the question's words.
const minRelatedShare = 0.5

// Related returns how many of a's passages a reader is offered, best
// first: the first, and those after it from the same issuer (another
// place's passage is not about the place asked) scoring at least
// minRelatedShare of it. A comparison's passages are its rows, all shown
// at once: 1.
func Related(a *answer.Answer) int {
	if a == nil || len(a.Answers) == 0 {
		return 0
	}
	if len(a.Series) > 0 {
		return 1
	}
	top := a.Answers[0]
	n := 1
	for n < len(a.Answers) && a.Answers[n].Report.Issuer == top.Report.Issuer && (top.Score <= 0 || a.Answers[n].Score >= minRelatedShare*top.Score) {
		n++
	}
	return n
}

// RenderAnswer renders answer a as the HTML reply. Page 0 is the answer as
// every medium shows it (answer.Layout: headline and qualifier, caveat,
// comparison rows, excerpt with the figure marked, citation); page i > 0 is
// the i-th further related passage, which shows no figure as the answer.
// An abstention renders as RenderAbstention. The result fits in one message.
func RenderAnswer(a *answer.Answer, i int) string {
	if a == nil || len(a.Answers) == 0 && (!a.Answered || a.Fact == "" && a.Figure == nil && len(a.Series) == 0) {
		return RenderAbstention(a)
	}
	if i > 0 && i < len(a.Answers) && len(a.Series) == 0 {
		p := a.Answers[i]
		p.Mark = [2]int{}
		return renderPassage("<i>相关原文</i>", &p)
	}
	v := answer.Layout(a)
	if len(v.Rows) > 0 {
		return renderRows(v.Rows)
	}
	var head []string
	if v.Headline != "" {
		h := "<b>" + esc(clip(v.Headline, maxReasonRunes)) + "</b>"
		if v.Qualifier != "" {
			h += "（" + esc(clip(v.Qualifier, maxContextRunes)) + "）"
		}
		head = append(head, h)
	}
	if v.Caveat != "" {
		head = append(head, "<i>"+esc(clip(v.Caveat, maxReasonRunes))+"</i>")
	}
	if v.Passage == nil {
		return fitText(strings.Join(head, "\n"))
	}
	return renderPassage(strings.Join(head, "\n"), v.Passage.Source)
}

// renderPassage renders head, then p's excerpt with its mark, then its
// citation, shortening the excerpt around the mark to fit one message.
func renderPassage(head string, p *answer.Passage) string {
	cite := citation(p)
	build := func(limit int) string {
		var sb strings.Builder
		if head != "" {
			sb.WriteString(head)
			sb.WriteString("\n\n")
		}
		if ex := strings.TrimSpace(p.Excerpt); ex != "" {
			sb.WriteString("<blockquote>")
			sb.WriteString(markedExcerpt(p.Excerpt, p.Mark, limit))
			sb.WriteString("</blockquote>\n")
		}
		sb.WriteString(cite)
		return strings.TrimRight(sb.String(), "\n")
	}
	return fitExcerpts(build, utf8.RuneCountInString(p.Excerpt))
}

// fitExcerpts returns build(-1) when it fits in a message, else build with
// the largest excerpt limit (in runes, at most longest) that fits.
func fitExcerpts(build func(limit int) string, longest int) string {
	if s := build(-1); tgLen(s) <= MaxMessageLen {
		return s
	}
	lo, hi := 0, longest
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if tgLen(build(mid)) <= MaxMessageLen {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return fitText(build(lo))
}

// renderRows renders a comparison: per row its label and figure in bold,
// the change from the year before, the excerpt with the figure marked and a
// one-line citation.
func renderRows(rows []answer.ViewRow) string {
	longest := 0
	for _, r := range rows {
		if r.Passage != nil {
			longest = max(longest, utf8.RuneCountInString(r.Passage.Source.Excerpt))
		}
	}
	build := func(limit int) string {
		var sb strings.Builder
		for i, r := range rows {
			if i > 0 {
				sb.WriteString("\n\n")
			}
			sb.WriteString("<b>" + esc(clip(r.Label, maxContextRunes)) + "：" + esc(clip(r.Value, maxContextRunes)) + "</b>")
			if r.Change != "" {
				sb.WriteString("（" + esc(r.Change) + "）")
			}
			if p := r.Passage; p != nil {
				if strings.TrimSpace(p.Source.Excerpt) != "" {
					sb.WriteString("\n<blockquote>" + markedExcerpt(p.Source.Excerpt, p.Source.Mark, limit) + "</blockquote>")
				}
				sb.WriteString("\n" + rowCitation(p))
			}
		}
		return sb.String()
	}
	return fitExcerpts(build, longest)
}

// rowCitation cites a comparison row's passage on one line, linked to the
// source when it has one: 📄 《title》 › section · issuer · date.
func rowCitation(p *answer.ViewPassage) string {
	title := "《" + esc(clip(strings.Trim(p.Title, "《》"), maxTitleRunes)) + "》"
	if u := safeURL(p.URL); u != "" {
		title = "<a href=\"" + esc(u) + "\">" + title + "</a>"
	}
	parts := []string{"📄 " + title}
	secs := p.Section
	if len(secs) > maxHeadings {
		secs = append(append([]string{}, secs[:1]...), secs[len(secs)-maxHeadings+1:]...)
	}
	for _, s := range secs {
		parts[0] += " › " + esc(clip(s, maxHeadingRunes))
	}
	if p.Issuer != "" {
		parts = append(parts, esc(clip(p.Issuer, maxIssuerRunes)))
	}
	if p.Date != "" {
		parts = append(parts, p.Date)
	}
	return strings.Join(parts, " · ")
}

// RenderAbstention renders a friendly "the reports do not say" with the
// engine's reason and what the reports do cover.
func RenderAbstention(a *answer.Answer) string {
	var sb strings.Builder
	sb.WriteString("🤔 抱歉，已收录的报告里没有找到这个问题的答案。")
	if a != nil && strings.TrimSpace(a.Reason) != "" {
		sb.WriteString("\n<i>")
		sb.WriteString(esc(clip(a.Reason, maxReasonRunes)))
		sb.WriteString("</i>")
	}
	if a != nil && len(a.Suggestions) > 0 {
		sb.WriteString("\n\n报告里谈到了这些，可以换个问法试试：")
		for i, s := range a.Suggestions {
			if i == maxSuggestions {
				break // the engine offers five
			}
			sb.WriteString("\n• ")
			sb.WriteString(esc(clip(s, maxSuggestRunes)))
		}
	}
	sb.WriteString("\n\n发送 /reports 查看已收录的报告，/help 查看用法。")
	return fitText(sb.String())
}

// fitText is the last guard on length: it cuts plain text that is still
// too long. Callers build their HTML to fit, so this only ever trims text
// without tags; cutting is at a rune boundary and never inside an entity.
func fitText(s string) string {
	if tgLen(s) <= MaxMessageLen {
		return s
	}
	r := []rune(s)
	n, cut := 0, 0
	for i, c := range r {
		n += utf16.RuneLen(c)
		if n > MaxMessageLen-1 {
			break
		}
		cut = i + 1
	}
	out := string(r[:cut])
	if i := strings.LastIndexByte(out, '&'); i >= 0 && !strings.Contains(out[i:], ";") {
		out = out[:i]
	}
	return out + "…"
}

// ReportFilter selects reports for /reports: Year (0: any) and words that
// must each appear in the issuer or title.
type ReportFilter struct {
	Year  int
	Words []string
}

// ParseReportFilter reads "/reports" arguments such as "湖北 2025".
func ParseReportFilter(args string) ReportFilter {
	var f ReportFilter
	for _, w := range strings.Fields(args) {
		if n, err := strconv.Atoi(strings.TrimSuffix(w, "年")); err == nil && n >= 1949 && n <= 2200 {
			f.Year = n
			continue
		}
		f.Words = append(f.Words, w)
	}
	return f
}

func (f ReportFilter) match(r *answer.ReportSummary) bool {
	if f.Year != 0 && r.Year != f.Year && (r.Published.IsZero() || r.Published.Year() != f.Year) {
		return false
	}
	for _, w := range f.Words {
		if !strings.Contains(r.Issuer, w) && !strings.Contains(r.Title, w) {
			return false
		}
	}
	return true
}

func (f ReportFilter) String() string {
	parts := append([]string{}, f.Words...)
	if f.Year != 0 {
		parts = append(parts, strconv.Itoa(f.Year))
	}
	return strings.Join(parts, " ")
}

// ReportsPage is how many reports a /reports page lists.
const ReportsPage = 8

// maxYearButtons bounds the year filter buttons under /reports.
const maxYearButtons = 4

// RenderReports renders page (0-based) of the reports that match f, newest
// first as given, in words a resident reads: title (linked to the source),
// who issued it and when. It returns the page actually shown (page clamped
// to the last one) and the number of pages.
func RenderReports(reports []answer.ReportSummary, f ReportFilter, page int) (html string, shown, pages int) {
	sel := f.selectFrom(reports)
	var sb strings.Builder
	pages = max((len(sel)+ReportsPage-1)/ReportsPage, 1)
	page = min(max(page, 0), pages-1)
	if fs := f.String(); fs != "" {
		fmt.Fprintf(&sb, "<b>已收录的报告</b>（筛选：%s）共 %d 份", esc(clip(fs, 60)), len(sel))
	} else {
		fmt.Fprintf(&sb, "<b>已收录的报告</b> 共 %d 份，新的在前", len(sel))
	}
	if len(sel) == 0 {
		sb.WriteString("\n\n没有符合条件的报告。试试 /reports 不带条件，或如 /reports 湖北 2025。")
		return sb.String(), 0, 1
	}
	if pages > 1 {
		fmt.Fprintf(&sb, "，第 %d/%d 页", page+1, pages)
	}
	for i := page * ReportsPage; i < min(len(sel), (page+1)*ReportsPage); i++ {
		sb.WriteString("\n\n" + reportLine(i+1, sel[i]))
	}
	if len(f.Words) == 0 && f.Year == 0 {
		sb.WriteString("\n\n按地区筛选：/reports 加地名，如 /reports 湖北；按年份：点下面的年份。")
	}
	return fitText(sb.String()), page, pages
}

// selectFrom returns the reports matching f, in the given order.
func (f ReportFilter) selectFrom(reports []answer.ReportSummary) []*answer.ReportSummary {
	var sel []*answer.ReportSummary
	for i := range reports {
		if f.match(&reports[i]) {
			sel = append(sel, &reports[i])
		}
	}
	return sel
}

// reportYears returns the years of the reports matching f's words, newest first.
func reportYears(reports []answer.ReportSummary, f ReportFilter) []int {
	f.Year = 0
	seen := map[int]bool{}
	var out []int
	for _, r := range f.selectFrom(reports) {
		y := r.Year
		if y == 0 && !r.Published.IsZero() {
			y = r.Published.Year()
		}
		if y != 0 && !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}

// reportMeta is a report's issuer and publication date, escaped, as the
// report list and card show them ("房县人民政府 · 2024-02-28 发布").
func reportMeta(r *answer.ReportSummary) string {
	var meta []string
	if r.Issuer != "" {
		meta = append(meta, esc(clip(r.Issuer, maxIssuerRunes)))
	}
	if d := reportDate(r.ReportRef); d != "" {
		meta = append(meta, d+" 发布")
	}
	return strings.Join(meta, " · ")
}

func reportLine(n int, r *answer.ReportSummary) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d. ", n)
	title := "《" + esc(clip(strings.Trim(r.Title, "《》"), maxTitleRunes)) + "》"
	if u := safeURL(r.URL); u != "" {
		title = "<a href=\"" + esc(u) + "\">" + title + "</a>"
	}
	sb.WriteString(title)
	if meta := reportMeta(r); meta != "" {
		sb.WriteString("\n   ")
		sb.WriteString(meta)
	}
	return sb.String()
}

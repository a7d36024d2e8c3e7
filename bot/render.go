package bot

import (
	"fmt"
	"html"
	"net/url"
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
	maxReasonRunes   = 300
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

// figureText is the figure as a reader expects it, approximation included.
func figureText(f *answer.Figure) string {
	t := f.Text
	if f.Approx != "" && !strings.Contains(t, f.Approx) {
		switch f.Approx {
		case "左右", "以上", "以下", "上下", "有余":
			t += f.Approx
		default:
			t = f.Approx + t
		}
	}
	return t
}

// markText is the marked part of a passage's excerpt, or "".
func markText(p *answer.Passage) string {
	a, b := p.Mark[0], p.Mark[1]
	if a < 0 || b > len(p.Excerpt) || a >= b {
		return ""
	}
	return p.Excerpt[a:b]
}

// RenderAnswer renders answer a as the HTML reply for passage i (0 is the
// best): the figure first in bold, the excerpt with the figure marked, and
// the citation. An abstention renders as RenderAbstention. The result fits
// in one message.
func RenderAnswer(a *answer.Answer, i int) string {
	if a == nil || !a.Answered || (len(a.Answers) == 0 && a.Fact == "" && a.Figure == nil) {
		return RenderAbstention(a)
	}
	var head string
	switch {
	case i == 0 && a.Figure != nil:
		head = "<b>" + esc(clip(figureText(a.Figure), maxContextRunes)) + "</b>"
		if c := strings.TrimSpace(a.Figure.Context); c != "" {
			head += " · " + esc(clip(c, maxContextRunes))
		}
	case i == 0 && a.Fact != "":
		head = "<b>" + esc(clip(a.Fact, maxReasonRunes)) + "</b>"
	case i < len(a.Answers) && markText(&a.Answers[i]) != "":
		head = "<b>" + esc(clip(markText(&a.Answers[i]), maxContextRunes)) + "</b>"
	}
	if len(a.Answers) > 1 && i > 0 {
		head = strings.TrimSpace(head + fmt.Sprintf("\n<i>第 %d/%d 条结果</i>", i+1, len(a.Answers)))
	}
	if i >= len(a.Answers) {
		return fitText(head)
	}
	p := &a.Answers[i]
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
	if s := build(-1); tgLen(s) <= MaxMessageLen {
		return s
	}
	// Shorten the excerpt around the mark: the largest window that fits.
	lo, hi := 0, utf8.RuneCountInString(p.Excerpt)
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
				break
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

// RenderReports renders the reports list (newest first, as given) that
// match f, as many as fit in one message.
func RenderReports(reports []answer.ReportSummary, f ReportFilter) string {
	var sel []*answer.ReportSummary
	for i := range reports {
		if f.match(&reports[i]) {
			sel = append(sel, &reports[i])
		}
	}
	var sb strings.Builder
	if fs := f.String(); fs != "" {
		fmt.Fprintf(&sb, "<b>已收录的报告</b>（筛选：%s）共 %d 份", esc(clip(fs, 60)), len(sel))
	} else {
		fmt.Fprintf(&sb, "<b>已收录的报告</b> 共 %d 份，新的在前", len(sel))
	}
	if len(sel) == 0 {
		sb.WriteString("\n\n没有符合条件的报告。试试 /reports 不带条件，或如 /reports 湖北 2025。")
		return sb.String()
	}
	const tailRoom = 120 // room for the "还有 N 份" line
	for i, r := range sel {
		item := "\n\n" + reportLine(i+1, r)
		if tgLen(sb.String())+tgLen(item) > MaxMessageLen-tailRoom {
			fmt.Fprintf(&sb, "\n\n…还有 %d 份。加上发布机构或年份可以缩小范围，如 /reports 湖北 2025。", len(sel)-i)
			break
		}
		sb.WriteString(item)
	}
	return sb.String()
}

func reportLine(n int, r *answer.ReportSummary) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d. ", n)
	title := "《" + esc(clip(strings.Trim(r.Title, "《》"), maxTitleRunes)) + "》"
	if u := safeURL(r.URL); u != "" {
		title = "<a href=\"" + esc(u) + "\">" + title + "</a>"
	}
	sb.WriteString(title)
	var meta []string
	if r.Issuer != "" {
		meta = append(meta, esc(clip(r.Issuer, maxIssuerRunes)))
	}
	if d := reportDate(r.ReportRef); d != "" {
		meta = append(meta, d)
	}
	if r.Paragraphs > 0 {
		meta = append(meta, fmt.Sprintf("%d 段", r.Paragraphs))
	}
	if r.Figures > 0 {
		meta = append(meta, fmt.Sprintf("%d 个数字", r.Figures))
	}
	if len(meta) > 0 {
		sb.WriteString("\n   ")
		sb.WriteString(strings.Join(meta, " · "))
	}
	return sb.String()
}

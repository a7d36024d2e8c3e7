package answer

import (
	"fmt"
	"strings"
)

// View is an answer laid out for display: every part a reader is shown,
// already worded, in the order shown. The terminal reply (RenderText), the
// Telegram reply (package bot) and the web page draw the same View, so a
// figure, year, label or caveat shown in one medium is shown in all.
// A field added to Answer that the reader must see belongs here too.
type View struct {
	// Abstain is true when the reports do not say: Reason says why and
	// Suggestions what they do cover.
	Abstain     bool
	Reason      string
	Suggestions []string
	// Headline is the answer in a few words: the figure with its
	// approximation ("约5100亿元"), or the fact asked for; "" for a passage.
	Headline string
	// Qualifier says what the headline is about when the question left it
	// open: the year, that it is a target, or whose figure it is
	// ("广东省，2024年", "2026年目标"). Media show it beside the headline.
	Qualifier string
	// Caveat qualifies an answer given without what was asked, e.g. "报告没有
	// 给出这一项的具体数字，以下是最相关的原文。": the engine's Reason when it
	// shows passages all the same.
	Caveat string
	// Rows are a comparison across years or places, oldest first; when
	// there are rows, Passage is nil and each row cites its own passage.
	Rows []ViewRow
	// Passage is the cited passage of any other answer; nil when none.
	Passage *ViewPassage
}

// ViewRow is one year (or place) of a comparison.
type ViewRow struct {
	// Label names the row: "2025年", "2026年目标", "北京市 2025年".
	Label string
	// Value is the figure with its approximation.
	Value string
	// Change is the change from the row before when it is the previous
	// year of the same issuer: "较上年 +4.4%", "与上年持平"; "" otherwise.
	Change string
	// Year and Figure are the row's data, for charts.
	Year   int
	Figure Figure
	// Passage is the row's cited passage; nil when the engine gave none.
	Passage *ViewPassage
}

// ViewPassage is a cited excerpt.
type ViewPassage struct {
	// Pre, Mark and Post are the excerpt split around the answering figure;
	// Mark is "" when nothing is marked.
	Pre, Mark, Post string
	// Title is the report's title (its ID when it has none), Section the
	// heading path outermost first, Issuer and Date (2006-01-02, or "2025年"
	// when only the year is known) who published it and when, URL the source.
	Title   string
	Section []string
	Issuer  string
	Date    string
	URL     string
	// Source is the passage the view was made from.
	Source *Passage
}

// Excerpt is the whole excerpt, unmarked.
func (p *ViewPassage) Excerpt() string { return p.Pre + p.Mark + p.Post }

// Layout lays a out for display.
func Layout(a *Answer) View {
	if !a.Answered && len(a.Answers) == 0 {
		return View{Abstain: true, Reason: a.Reason, Suggestions: a.Suggestions}
	}
	var v View
	if len(a.Series) > 0 {
		for i, p := range a.Series {
			r := ViewRow{Year: p.Year, Figure: p.Figure, Value: figureLine(&p.Figure)}
			label := "年"
			if p.Passage < len(a.Answers) && a.Answers[p.Passage].Period == "target" {
				label = "年目标"
			}
			r.Label = fmt.Sprintf("%d%s", p.Year, label)
			if p.Issuer != "" {
				r.Label = strings.TrimSuffix(p.Issuer, "人民政府") + " " + r.Label
			}
			if i > 0 && a.Series[i-1].Issuer == p.Issuer && a.Series[i-1].Year == p.Year-1 {
				switch c := change(a.Series[i-1].Figure, p.Figure); c {
				case "":
				case "持平":
					r.Change = "与上年持平"
				default:
					r.Change = "较上年 " + c
				}
			}
			if p.Passage < len(a.Answers) {
				r.Passage = viewPassage(&a.Answers[p.Passage])
			}
			v.Rows = append(v.Rows, r)
		}
		return v
	}
	switch {
	case a.Fact != "":
		v.Headline = a.Fact
	case a.Figure != nil:
		v.Headline = figureLine(a.Figure)
		v.Qualifier = a.Note
	case a.Reason != "":
		v.Caveat = a.Reason
	}
	if len(a.Answers) > 0 {
		v.Passage = viewPassage(&a.Answers[0])
	}
	return v
}

// viewPassage splits p's excerpt around its mark and words its citation.
func viewPassage(p *Passage) *ViewPassage {
	v := &ViewPassage{Source: p, Pre: p.Excerpt, Section: p.Section, Issuer: p.Report.Issuer, URL: p.Report.URL}
	if m := p.Mark; m[1] > m[0] && m[0] >= 0 && m[1] <= len(p.Excerpt) {
		v.Pre, v.Mark, v.Post = p.Excerpt[:m[0]], p.Excerpt[m[0]:m[1]], p.Excerpt[m[1]:]
	}
	v.Title = p.Report.Title
	if v.Title == "" {
		v.Title = p.Report.ID
	}
	switch {
	case !p.Report.Published.IsZero():
		v.Date = p.Report.Published.Format("2006-01-02")
	case p.Report.Year > 0:
		v.Date = fmt.Sprintf("%d年", p.Report.Year)
	}
	return v
}

// renderView is the terminal rendering of v (RenderText).
func renderView(v View) string {
	var b strings.Builder
	if v.Abstain {
		b.WriteString(v.Reason)
		if len(v.Suggestions) > 0 {
			b.WriteString("\n报告涉及的内容包括：")
			b.WriteString(strings.Join(v.Suggestions, "；"))
			b.WriteString("。")
		}
		return b.String()
	}
	if len(v.Rows) > 0 {
		for _, r := range v.Rows {
			fmt.Fprintf(&b, "%s：%s", r.Label, r.Value)
			if r.Change != "" {
				b.WriteString("（" + r.Change + "）")
			}
			b.WriteString("\n")
			if r.Passage != nil {
				fmt.Fprintf(&b, "  %s\n  ——%s\n", r.Passage.marked(), r.Passage.citeLine())
			}
		}
		return strings.TrimRight(b.String(), "\n")
	}
	switch {
	case v.Headline != "":
		b.WriteString(v.Headline)
		if v.Qualifier != "" {
			b.WriteString("（" + v.Qualifier + "）")
		}
		b.WriteString("\n")
	case v.Caveat != "":
		b.WriteString(v.Caveat)
		b.WriteString("\n")
	}
	p := v.Passage
	if p == nil {
		return strings.TrimRight(b.String(), "\n")
	}
	if p.Excerpt() != "" {
		b.WriteString(p.marked())
		b.WriteString("\n")
	}
	b.WriteString("出处：")
	b.WriteString(p.citeLine())
	if p.URL != "" {
		b.WriteString("\n链接：")
		b.WriteString(p.URL)
	}
	return b.String()
}

// marked is the excerpt with the answering figure in 【】.
func (p *ViewPassage) marked() string {
	if p.Mark == "" {
		return p.Pre + p.Post
	}
	return p.Pre + "【" + p.Mark + "】" + p.Post
}

// Citation cites the passage: 《title》 › section path · issuer · date.
func (p *ViewPassage) Citation() string { return p.citeLine() }

// citeLine cites the passage: 《title》 › section path · issuer · date.
func (p *ViewPassage) citeLine() string {
	head := "《" + p.Title + "》"
	if len(p.Section) > 0 {
		head += " › " + strings.Join(p.Section, " › ")
	}
	parts := []string{head}
	if p.Issuer != "" {
		parts = append(parts, p.Issuer)
	}
	if p.Date != "" {
		parts = append(parts, p.Date)
	}
	return strings.Join(parts, " · ")
}

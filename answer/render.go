package answer

import (
	"fmt"
	"strings"
)

// RenderText renders an answer as the plain text a chat user reads: the
// figure first, then the excerpt with the figure marked 【】, then the
// citation (report, section path, issuer and date, link). Abstentions say
// that the reports do not say and what they cover.
func RenderText(a *Answer) string {
	var b strings.Builder
	if !a.Answered && len(a.Answers) == 0 {
		b.WriteString(a.Reason)
		if len(a.Suggestions) > 0 {
			b.WriteString("\n报告涉及的内容包括：")
			b.WriteString(strings.Join(a.Suggestions, "；"))
			b.WriteString("。")
		}
		return b.String()
	}
	switch {
	case len(a.Series) > 0:
		for i, p := range a.Series {
			if p.Issuer != "" {
				b.WriteString(strings.TrimSuffix(p.Issuer, "人民政府") + " ")
			}
			label := "年"
			if p.Passage < len(a.Answers) && a.Answers[p.Passage].Period == "target" {
				label = "年目标"
			}
			fmt.Fprintf(&b, "%d%s：%s", p.Year, label, figureLine(&p.Figure))
			if i > 0 && a.Series[i-1].Issuer == p.Issuer && a.Series[i-1].Year == p.Year-1 {
				switch c := change(a.Series[i-1].Figure, p.Figure); c {
				case "":
				case "持平":
					b.WriteString("（与上年持平）")
				default:
					fmt.Fprintf(&b, "（较上年 %s）", c)
				}
			}
			b.WriteString("\n")
			if p.Passage < len(a.Answers) {
				ps := a.Answers[p.Passage]
				fmt.Fprintf(&b, "  %s\n  ——%s\n", marked(ps), citeLine(ps))
			}
		}
		return strings.TrimRight(b.String(), "\n")
	case a.Fact != "":
		b.WriteString(a.Fact)
		b.WriteString("\n")
	case a.Figure != nil:
		b.WriteString(figureLine(a.Figure))
		if a.Note != "" {
			b.WriteString("（" + a.Note + "）")
		}
		b.WriteString("\n")
	case a.Reason != "":
		b.WriteString(a.Reason)
		b.WriteString("\n")
	}
	if len(a.Answers) == 0 {
		return strings.TrimRight(b.String(), "\n")
	}
	p := a.Answers[0]
	if p.Excerpt != "" {
		b.WriteString(marked(p))
		b.WriteString("\n")
	}
	b.WriteString("出处：")
	b.WriteString(citeLine(p))
	if p.Report.URL != "" {
		b.WriteString("\n链接：")
		b.WriteString(p.Report.URL)
	}
	return b.String()
}

// figureLine is the figure as the first line shows it: approximation and number.
func figureLine(f *Figure) string {
	if f.Approx != "" && !strings.Contains(f.Text, f.Approx) {
		switch f.Approx {
		case "左右", "以上", "上下", "以内", "以下":
			return f.Text + f.Approx
		}
		return f.Approx + f.Text
	}
	return f.Text
}

// marked returns the excerpt with the answering figure in 【】.
func marked(p Passage) string {
	m := p.Mark
	if m[1] > m[0] && m[1] <= len(p.Excerpt) {
		return p.Excerpt[:m[0]] + "【" + p.Excerpt[m[0]:m[1]] + "】" + p.Excerpt[m[1]:]
	}
	return p.Excerpt
}

// citeLine cites a passage: 《title》 › section path · issuer · date.
func citeLine(p Passage) string {
	parts := []string{}
	title := p.Report.Title
	if title == "" {
		title = p.Report.ID
	}
	head := "《" + title + "》"
	if len(p.Section) > 0 {
		head += " › " + strings.Join(p.Section, " › ")
	}
	parts = append(parts, head)
	if p.Report.Issuer != "" {
		parts = append(parts, p.Report.Issuer)
	}
	switch {
	case !p.Report.Published.IsZero():
		parts = append(parts, p.Report.Published.Format("2006-01-02"))
	case p.Report.Year > 0:
		parts = append(parts, fmt.Sprintf("%d年", p.Report.Year))
	}
	return strings.Join(parts, " · ")
}

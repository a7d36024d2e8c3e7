package answer

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// This file exports the pieces of RenderText that other media (the web
// pages) show in their own layout, so that a page and a chat reply state the
// same figure, label and citation.

// WriteJSON writes a as one line of JSON: the object `govbot ask --json`
// prints and the web API serves.
func WriteJSON(w io.Writer, a *Answer) error {
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// FigureLine is the figure as the first line of a reply shows it: the
// approximation word and the number with its unit ("1500余次", "约3.2万亿元").
func FigureLine(f *Figure) string {
	if f == nil {
		return ""
	}
	return figureLine(f)
}

// Marked returns the passage's excerpt split around its answering figure:
// the text before it, the figure, and the text after it. Figure is "" when
// the passage marks none (or the mark is not a valid range of Excerpt).
func (p Passage) Marked() (before, figure, after string) {
	m := p.Mark
	if m[1] > m[0] && m[0] >= 0 && m[1] <= len(p.Excerpt) {
		return p.Excerpt[:m[0]], p.Excerpt[m[0]:m[1]], p.Excerpt[m[1]:]
	}
	return p.Excerpt, "", ""
}

// Citation is the passage's citation as a reply writes it:
// 《title》 › section path · issuer · date.
func (p Passage) Citation() string { return citeLine(p) }

// SeriesRow is one line of a comparison as RenderText writes it.
type SeriesRow struct {
	// Place is the issuer's short name when the comparison is between issuers.
	Place string
	// Year and Label: "2024年", or "2025年目标" when the figure is a target.
	Year  int
	Label string
	// Figure is the figure as the line shows it (FigureLine).
	Figure string
	// Change is the change from the row before when both are the same
	// issuer's consecutive years: "较上年 +4.4%", "与上年持平", or "".
	Change string
	// Point is the series point; Point.Passage indexes Answer.Answers.
	Point Point
}

// SeriesRows returns the rows of a comparison, oldest first, with the
// labels and changes of the reply's lines.
func SeriesRows(a *Answer) []SeriesRow {
	rows := make([]SeriesRow, 0, len(a.Series))
	for i, p := range a.Series {
		r := SeriesRow{Place: strings.TrimSuffix(p.Issuer, "人民政府"), Year: p.Year, Figure: figureLine(&p.Figure), Point: p}
		r.Label = fmt.Sprintf("%d年", p.Year)
		if p.Passage < len(a.Answers) && a.Answers[p.Passage].Period == "target" {
			r.Label = fmt.Sprintf("%d年目标", p.Year)
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
		rows = append(rows, r)
	}
	return rows
}

// ReportsOf lists the indexed reports, newest first, of the issuer that
// issuer names (matched as a question names it, "湖北" → 湖北省人民政府, or
// as part of the issuer's name) and delivered in year; "" and 0 match any.
func (e *Engine) ReportsOf(issuer string, year int) []ReportSummary {
	issuer = strings.TrimSpace(issuer)
	var named []string
	if issuer != "" {
		named = e.IssuersNamed(issuer)
	}
	var out []ReportSummary
	for _, r := range e.Reports() {
		if issuer != "" && !slices.Contains(named, r.Issuer) && !strings.Contains(r.Issuer, issuer) {
			continue
		}
		if year != 0 && r.Year != year {
			continue
		}
		out = append(out, r)
	}
	return out
}

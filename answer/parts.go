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
	v := viewPassage(&p)
	return v.Pre, v.Mark, v.Post
}

// View lays the passage out as Layout does: excerpt split around its mark,
// title (its ID when it has none), date as replies write it, citation.
func (p Passage) View() *ViewPassage { return viewPassage(&p) }

// Citation is the passage's citation as a reply writes it:
// 《title》 › section path · issuer · date.
func (p Passage) Citation() string { return viewPassage(&p).citeLine() }

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
// labels and changes of the reply's lines (Layout's rows, with the place
// apart from the label).
func SeriesRows(a *Answer) []SeriesRow {
	v := Layout(a)
	rows := make([]SeriesRow, 0, len(v.Rows))
	for i, r := range v.Rows {
		p := a.Series[i]
		place := strings.TrimSuffix(p.Issuer, "人民政府")
		label := r.Label
		if place != "" {
			label = strings.TrimPrefix(label, place+" ")
		}
		rows = append(rows, SeriesRow{Place: place, Year: r.Year, Label: label, Figure: r.Value, Change: r.Change, Point: p})
	}
	return rows
}

// ReportsOf lists the indexed reports, newest first, of the place that
// issuer names (resolved as a question names it, "湖北" → 湖北省人民政府;
// a city lists its districts' reports too), or whose issuer's name
// contains it when it names no place, delivered in year; "" and 0 match
// any.
func (e *Engine) ReportsOf(issuer string, year int) []ReportSummary {
	issuer = strings.TrimSpace(issuer)
	var named []string
	if issuer != "" {
		named = e.IssuersWithin(issuer)
	}
	var out []ReportSummary
	for _, r := range e.Reports() {
		if issuer != "" && !slices.Contains(named, r.Issuer) && (len(named) > 0 || !strings.Contains(r.Issuer, issuer)) {
			continue
		}
		if year != 0 && r.Year != year {
			continue
		}
		out = append(out, r)
	}
	return out
}

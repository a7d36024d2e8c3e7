package answer

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/govbot/govbot/index"
)

// Point is one year of a comparison across reports.
type Point struct {
	// Year is the year the figure is about (a report delivered in Y reviews Y−1).
	Year int `json:"year"`
	// Figure is that year's figure; Passage indexes Answer.Answers.
	Figure  Figure `json:"figure"`
	Passage int    `json:"passage"`
	// Issuer is set when the comparison is between issuers ("北京和上海").
	Issuer string `json:"issuer,omitempty"`
}

// compareAsk is one report a comparison asks, with the year asked of it.
type compareAsk struct {
	ri     *index.ReportInfo
	year   int
	intent string
}

// reportFor finds issuer's report speaking of year: the one reviewing it,
// or (for targets, or failing that) the one delivered in it.
func reportFor(all []*index.ReportInfo, issuer string, year int, target bool) (compareAsk, bool) {
	var review, delivered *index.ReportInfo
	for _, ri := range all {
		if ri.Issuer != issuer && issuer != "" {
			continue
		}
		switch ri.Year {
		case year + 1:
			if review == nil {
				review = ri
			}
		case year:
			if delivered == nil {
				delivered = ri
			}
		}
	}
	switch {
	case review != nil && !target:
		return compareAsk{review, year, "review"}, true
	case delivered != nil:
		return compareAsk{delivered, year, "target"}, true
	case review != nil:
		return compareAsk{review, year, "review"}, true
	}
	return compareAsk{}, false
}

// maxSeries bounds how many years a comparison lists.
const maxSeries = 8

// answerCompare answers "这几年分别是多少" and "2024年和2025年…对比": one
// figure per year, oldest first. It returns nil when fewer than two years
// have an answer, so the caller answers the question normally.
func (e *Engine) answerCompare(ctx context.Context, q *question, terms []term, sc scope) (*Answer, error) {
	// Reports to compare, each with the year it is asked about: those
	// reviewing the years named (or, failing that, setting their targets),
	// or else the issuer's reports, newest first, up to maxSeries.
	var asks []compareAsk
	if len(q.issuers) > 1 {
		// 北京和上海…对比: each issuer for the same year(s).
		for _, is := range q.issuers {
			years := q.years
			if len(years) == 0 {
				y := sc.newestYear[is] - 1 // the newest review
				if q.hasRelative {
					y = sc.newestYear[is] + q.relative
				}
				years = []int{y}
			}
			for _, y := range years {
				if k, ok := reportFor(sc.all, is, y, q.target); ok {
					asks = append(asks, k)
				}
			}
		}
	} else if len(q.years) > 0 {
		for _, y := range q.years {
			if k, ok := reportFor(sc.all, "", y, q.target); ok {
				asks = append(asks, k)
			}
		}
	} else {
		for _, ri := range sc.all {
			if sc.multiIssuer && len(q.issuers) == 0 && ri.Issuer != nationalIssuer {
				// Without a place, compare the national reports.
				continue
			}
			if len(asks) == maxSeries || (q.lastYears > 0 && len(asks) == q.lastYears) {
				break
			}
			if q.target {
				// 这几年的目标: each report's goals for its own year.
				asks = append(asks, compareAsk{ri, ri.Year, "target"})
			} else {
				asks = append(asks, compareAsk{ri, ri.Year - 1, "review"})
			}
		}
	}
	type row struct {
		year int
		c    *candidate
	}
	var rows []row
	seen := map[string]bool{}
	for _, k := range asks {
		if seen[k.ri.ID] {
			continue
		}
		seen[k.ri.ID] = true
		one := scope{ids: []string{k.ri.ID}, intent: k.intent, year: k.year, newest: map[string]bool{}, prefer: map[string]bool{}}
		cands, err := e.candidates(ctx, q, terms, one)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			if c.fig == nil || !c.keyHit || c.covNear < 0.5 || (q.unit != "" && !c.unitOK) || !c.figureFits() {
				continue
			}
			if c.kind == timePeriod || c.year != 0 && c.year != k.year {
				continue
			}
			rows = append(rows, row{k.year, c})
			break
		}
	}
	if len(rows) < 2 {
		return nil, nil
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].year < rows[j].year })
	byIssuer := len(q.issuers) > 1
	a := &Answer{Answered: true}
	for i, r := range rows {
		f := r.c.fig
		fig := Figure{Text: f.Text, Value: f.Value, Unit: f.Unit, Approx: f.Approx, Context: f.Context}
		pt := Point{Year: r.year, Figure: fig, Passage: i}
		if byIssuer {
			pt.Issuer = r.c.rep.Issuer
		}
		a.Series = append(a.Series, pt)
		a.Answers = append(a.Answers, e.passage(r.c, true))
	}
	last := a.Series[len(a.Series)-1].Figure
	a.Figure = &last
	return a, nil
}

// change describes the change from a to b when their units agree: in
// percentage points between rates, else in percent.
func change(a, b Figure) string {
	ua, ub := strings.ReplaceAll(a.Unit, "％", "%"), strings.ReplaceAll(b.Unit, "％", "%")
	if ua != ub || a.Value == 0 {
		return ""
	}
	d := b.Value - a.Value
	if strings.Contains(ua, "%") || strings.Contains(ua, "百分点") {
		if math.Abs(d) < 0.05 {
			return "持平"
		}
		return fmt.Sprintf("%+.1f个百分点", d)
	}
	pct := d / math.Abs(a.Value) * 100
	if math.Abs(pct) < 0.05 {
		return "持平"
	}
	return fmt.Sprintf("%+.1f%%", pct)
}

func q2query(words []string, sc scope) index.Query {
	return index.Query{Text: strings.Join(words, " "), Reports: sc.ids, Size: 20}
}

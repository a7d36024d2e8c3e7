package web

import (
	"encoding/csv"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
)

// chart is a bar chart of a series, drawn by the page template as inline
// SVG: one bar per row, labelled with its year (and place), the value
// above it, ticks on the value axis in the unit of the newest figure.
type chart struct {
	W, H   int
	Left   float64 // x of the value axis
	Base   float64 // y of the zero line
	Right  float64
	Top    float64
	Bottom float64
	Unit   string
	Bars   []chartBar
	Ticks  []chartTick
	Label  string // accessible description
}

type chartBar struct {
	X, Y, W, H float64
	CX         float64 // centre, for the labels
	LabelY     float64
	ValueY     float64
	Label      string
	Value      string
}

type chartTick struct {
	Y     float64
	Label string
}

// Chart geometry, in SVG user units (the SVG scales to the page width).
const (
	chartW       = 640
	chartH       = 320
	chartLeft    = 72
	chartRight   = 16
	chartTop     = 28
	chartBottom  = 44
	chartTicks   = 5
	chartBarFill = 0.6 // share of a slot the bar takes
)

// seriesChart draws rows as bars when their figures share a base unit
// (all 亿元 and 万亿元, all %); otherwise it returns nil and why.
func seriesChart(rows []answer.ViewRow) (*chart, string) {
	if len(rows) < 2 {
		return nil, ""
	}
	type pt struct {
		label string
		value float64 // in the display unit
		text  string
	}
	last := parseFigure(rows[len(rows)-1].Figure)
	if last == nil || last.Number == 0 {
		return nil, "数字无法作图。"
	}
	scale := last.Value / last.Number
	pts := make([]pt, 0, len(rows))
	for _, r := range rows {
		f := parseFigure(r.Figure)
		if f == nil || f.BaseUnit != last.BaseUnit {
			return nil, "各年数字的单位不同，不作图。"
		}
		pts = append(pts, pt{r.Label, f.Value / scale, r.Value})
	}
	lo, hi := 0.0, 0.0
	for _, p := range pts {
		lo, hi = math.Min(lo, p.value), math.Max(hi, p.value)
	}
	step := niceStep((hi - lo) / chartTicks)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi == lo {
		hi = lo + step
	}
	c := &chart{
		W: chartW, H: chartH,
		Left: chartLeft, Right: chartW - chartRight,
		Top: chartTop, Bottom: chartH - chartBottom,
		Unit: strings.TrimSpace(last.Unit),
	}
	y := func(v float64) float64 { return round1(c.Bottom - (v-lo)/(hi-lo)*(c.Bottom-c.Top)) }
	c.Base = y(0)
	for v := lo; v <= hi+step/2; v += step {
		c.Ticks = append(c.Ticks, chartTick{Y: y(v), Label: formatTick(v, step)})
	}
	slot := (c.Right - c.Left) / float64(len(pts))
	var desc []string
	for i, p := range pts {
		x := c.Left + slot*float64(i)
		b := chartBar{
			W: round1(slot * chartBarFill), CX: round1(x + slot/2),
			Label: p.label, Value: p.text, LabelY: c.Bottom + 18,
		}
		b.X = round1(x + slot*(1-chartBarFill)/2)
		top, bottom := y(p.value), c.Base
		if top > bottom {
			top, bottom = bottom, top
		}
		b.Y, b.H = top, round1(math.Max(bottom-top, 1))
		b.ValueY = round1(top - 6)
		c.Bars = append(c.Bars, b)
		desc = append(desc, p.label+" "+p.text)
	}
	c.Label = strings.Join(desc, "，")
	return c, ""
}

// parseFigure reads an answer figure's number, unit and base unit.
func parseFigure(f answer.Figure) *corpus.Figure {
	fs := corpus.ExtractFigures(f.Text)
	if len(fs) == 0 {
		return nil
	}
	return &fs[0]
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func formatTick(v, step float64) string {
	prec := 0
	if step < 1 {
		prec = int(math.Ceil(-math.Log10(step)))
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// handleCSV serves the figures of a question's answer as CSV: one row per
// series point (or the one figure), with the excerpt and citation.
func (s *Server) handleCSV(w http.ResponseWriter, r *http.Request) {
	q, err := s.requiredQuestion(r)
	if err != nil {
		code, msg := s.questionError(err)
		s.fail(w, r, code, msg)
		return
	}
	var conv *answer.Session
	if c := s.sessions.get(r); c != nil {
		conv = &c.conv
	}
	a, err := s.ask(r.Context(), conv, q)
	if err != nil {
		s.fail(w, r, http.StatusServiceUnavailable, "暂时无法回答，请稍后再试。")
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="govbot.csv"`)
	// A byte order mark, so that spreadsheet programs read UTF-8.
	_, _ = w.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"地区", "年份", "数字", "数值", "单位", "较上年", "原文", "出处", "链接"})
	row := func(place, year string, f *answer.Figure, change string, p *answer.Passage) {
		rec := []string{place, year, answer.FigureLine(f), strconv.FormatFloat(f.Value, 'f', -1, 64), f.Unit, change, "", "", ""}
		if p != nil {
			rec[6], rec[7], rec[8] = p.Excerpt, p.Citation(), p.Report.URL
		}
		_ = cw.Write(csvSafe(rec))
	}
	switch {
	case len(a.Series) > 0:
		for _, sr := range answer.SeriesRows(a) {
			var p *answer.Passage
			if i := sr.Point.Passage; i >= 0 && i < len(a.Answers) {
				p = &a.Answers[i]
			}
			row(sr.Place, sr.Label, &sr.Point.Figure, sr.Change, p)
		}
	case a.Figure != nil:
		var p *answer.Passage
		if len(a.Answers) > 0 {
			p = &a.Answers[0]
		}
		row("", a.Note, a.Figure, "", p)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.opt.Logger.Warn("web: write csv", "err", err)
	}
}

// csvSafe keeps a spreadsheet from reading a cell as a formula: a cell
// starting with = + - @ gets a leading apostrophe, unless it is a number.
func csvSafe(rec []string) []string {
	for i, c := range rec {
		if c == "" || !strings.ContainsAny(c[:1], "=+-@\t\r") {
			continue
		}
		if _, err := strconv.ParseFloat(c, 64); err == nil {
			continue
		}
		rec[i] = "'" + c
	}
	return rec
}

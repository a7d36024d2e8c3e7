package bot

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/govbot/govbot/answer"
)

// Chart rules: a comparison is also drawn when it covers at least
// minChartYears years of one issuer in one unit. The chart's text is
// digits only (its font has no Chinese); the words go in the caption.
const (
	minChartYears = 3
	maxCaptionLen = 1024
)

// chartable reports whether a's comparison is drawn as a chart: at least
// minChartYears distinct years, one issuer, one unit, values known.
func chartable(a *answer.Answer) bool {
	if a == nil || !a.Answered || len(a.Series) < minChartYears {
		return false
	}
	years := map[int]bool{}
	for _, p := range a.Series {
		if p.Issuer != a.Series[0].Issuer || p.Figure.Unit != a.Series[0].Figure.Unit || math.IsNaN(p.Figure.Value) || math.IsInf(p.Figure.Value, 0) {
			return false
		}
		years[p.Year] = true
	}
	return len(years) >= minChartYears
}

// chartCaption is the chart's caption: the question, the unit and the
// figure of each year, in words (HTML, within Telegram's 1024 characters).
func chartCaption(a *answer.Answer) string {
	var sb strings.Builder
	sb.WriteString("📈 " + esc(clip(a.Question, maxQuestionShown)))
	if u := a.Series[0].Figure.Unit; u != "" {
		sb.WriteString("（单位：" + esc(clip(u, 20)) + "）")
	}
	for _, r := range answer.Layout(a).Rows {
		line := "\n" + esc(clip(r.Label, maxContextRunes)) + "：" + esc(clip(r.Value, maxContextRunes))
		if tgLen(sb.String())+tgLen(line) > maxCaptionLen {
			break
		}
		sb.WriteString(line)
	}
	return sb.String()
}

// sendChart sends a's comparison as a chart under the text reply, when it
// is chartable. A chart that fails is logged: the text has the figures.
func (s *Server) sendChart(ctx context.Context, chat int64, thread, replyTo int, a *answer.Answer) {
	if !chartable(a) {
		return
	}
	png, err := RenderChart(a)
	if err != nil {
		s.log.Warn("chart failed", "err", err)
		return
	}
	caption := chartCaption(a)
	err = s.send.Do(ctx, chat, "sendPhoto", func(ctx context.Context) error {
		p := &tgbot.SendPhotoParams{
			ChatID:          chat,
			MessageThreadID: thread,
			Photo:           &models.InputFileUpload{Filename: "chart.png", Data: bytes.NewReader(png)},
			Caption:         caption,
			ParseMode:       models.ParseModeHTML,
		}
		if replyTo != 0 {
			p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
		}
		_, err := s.b.SendPhoto(ctx, p)
		return err
	})
	if err != nil {
		s.log.Warn("sendPhoto failed", "chat", chat, "err", err)
	}
}

// Chart drawing: size in pixels, line and dot widths, the share of the
// figures' range left above and below them, and how many value ticks the
// vertical axis aims at.
const (
	chartWidth      = 640
	chartHeight     = 360
	chartLineWidth  = 2
	chartDotWidth   = 4
	chartPad        = 0.15
	chartYearPad    = 0.4 // years left of the first point
	chartLabelPad   = 0.8 // years right of the last point, for its label
	chartValueTicks = 5
	maxValueTicks   = 4 * chartValueTicks
)

// chartColor is the line's and the dots' colour; chartGrid the grid's
// and the labels' frames'.
var (
	chartColor = drawing.ColorFromHex("1f77b4")
	chartGrid  = drawing.ColorFromHex("d0d0d0")
)

// chartFont is go-chart's embedded Roboto, parsed once. Passing it to each
// chart keeps go-chart from its own lazy load, which is not safe for
// concurrent handlers.
var chartFont = sync.OnceValues(chart.GetDefaultFont)

// RenderChart draws a's comparison as a PNG line chart, years across and
// figures up, each point labelled with its figure's digits. It draws
// digits only: the font has no Chinese.
func RenderChart(a *answer.Answer) ([]byte, error) {
	if a == nil || len(a.Series) == 0 {
		return nil, fmt.Errorf("chart: no series")
	}
	font, err := chartFont()
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	n := len(a.Series)
	xs, ys := make([]float64, n), make([]float64, n)
	notes := make([]chart.Value2, n)
	// The first and last ticks, unlabelled, leave room around the first
	// and last points (and the last point's label).
	years := []chart.Tick{{Value: float64(a.Series[0].Year) - chartYearPad}}
	for i, p := range a.Series {
		xs[i], ys[i] = float64(p.Year), p.Figure.Value
		notes[i] = chart.Value2{XValue: xs[i], YValue: ys[i], Label: strconv.FormatFloat(ys[i], 'f', -1, 64)}
		if i == 0 || p.Year != a.Series[i-1].Year {
			years = append(years, chart.Tick{Value: xs[i], Label: strconv.Itoa(p.Year)})
		}
	}
	years = append(years, chart.Tick{Value: xs[n-1] + chartLabelPad})
	lo, hi := valueRange(ys)
	c := chart.Chart{
		Width:  chartWidth,
		Height: chartHeight,
		Font:   font,
		XAxis:  chart.XAxis{Ticks: years},
		YAxis: chart.YAxis{
			Ticks:          valueTicks(lo, hi),
			GridMajorStyle: chart.Style{StrokeColor: chartGrid, StrokeWidth: 1},
		},
		Series: []chart.Series{
			chart.ContinuousSeries{
				XValues: xs,
				YValues: ys,
				Style: chart.Style{
					StrokeColor: chartColor,
					StrokeWidth: chartLineWidth,
					DotColor:    chartColor,
					DotWidth:    chartDotWidth,
				},
			},
			chart.AnnotationSeries{
				Style:       chart.Style{StrokeColor: chartGrid, FillColor: drawing.ColorWhite},
				Annotations: notes,
			},
		},
	}
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

// valueRange is the vertical axis's range: the figures' range, padded by
// chartPad of it each way (or by a tenth of the value when all are equal),
// not below 0 when no figure is.
func valueRange(ys []float64) (lo, hi float64) {
	lo, hi = ys[0], ys[0]
	for _, y := range ys {
		lo, hi = math.Min(lo, y), math.Max(hi, y)
	}
	pad := (hi - lo) * chartPad
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	if lo >= 0 {
		return math.Max(lo-pad, 0), hi + pad // figures ≥ 0 keep the axis ≥ 0
	}
	return lo - pad, hi + pad
}

// valueTicks are about chartValueTicks ticks from lo down to a round
// value to hi up to one, at a round step (1, 2 or 5 times a power of
// ten), labelled with as many decimals as the step needs. go-chart spans
// the axis from the first tick to the last.
func valueTicks(lo, hi float64) []chart.Tick {
	raw := (hi - lo) / chartValueTicks
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{2, 5, 10} {
		if step >= raw {
			break
		}
		step = m * mag
	}
	decimals := max(0, -int(math.Floor(math.Log10(step))))
	const eps = 1e-9 // k·step may miss a bound by a rounding error
	var ts []chart.Tick
	// At most maxValueTicks: beyond 2^53 a float's k++ may not move k.
	for k := math.Floor(lo/step + eps); k-1 < hi/step-eps && len(ts) < maxValueTicks; k++ {
		v := k * step
		if k == 0 {
			v = 0 // not -0
		}
		ts = append(ts, chart.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return ts
}

//go:build !nochart

package bot

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/govbot/govbot/answer"
)

// chartsBuilt is false in a build with the nochart tag, which leaves out
// gonum/plot (and its fonts: 7.5 MB of the binary).
const chartsBuilt = true

// Chart size and line.
const (
	chartWidth     = 16 * vg.Centimeter
	chartHeight    = 9 * vg.Centimeter
	chartLineWidth = 2
)

// RenderChart draws a's comparison as a PNG line chart, years across and
// figures up, each point labelled with its figure's digits.
func RenderChart(a *answer.Answer) ([]byte, error) {
	p := plot.New()
	xys := make(plotter.XYs, len(a.Series))
	labels := make([]string, len(a.Series))
	for i, pt := range a.Series {
		xys[i] = plotter.XY{X: float64(pt.Year), Y: pt.Figure.Value}
		labels[i] = strconv.FormatFloat(pt.Figure.Value, 'f', -1, 64)
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	line.Width = vg.Points(chartLineWidth)
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	p.Add(plotter.NewGrid(), line, points, l)
	p.X.Tick.Marker = plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		var ts []plot.Tick
		for y := math.Ceil(lo); y <= hi; y++ {
			ts = append(ts, plot.Tick{Value: y, Label: strconv.Itoa(int(y))})
		}
		return ts
	})
	p.X.Min, p.X.Max = xys[0].X-0.5, xys[len(xys)-1].X+0.5
	lo, hi := xys[0].Y, xys[0].Y
	for _, xy := range xys {
		lo, hi = math.Min(lo, xy.Y), math.Max(hi, xy.Y)
	}
	pad := (hi - lo) * 0.15
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	w, err := p.WriterTo(chartWidth, chartHeight, "png")
	if err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), nil
}

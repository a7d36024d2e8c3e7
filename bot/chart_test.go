package bot

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/answer"
)

// employment is a typical comparison: 全国城镇新增就业 (万人) as the
// national reports give it, 2018–2024.
func employment() *answer.Answer {
	a := &answer.Answer{Question: "全国城镇新增就业这几年分别是多少", Answered: true}
	for i, v := range []float64{1361, 1352, 1186, 1269, 1206, 1244, 1256} {
		a.Series = append(a.Series, answer.Point{Year: 2018 + i, Figure: answer.Figure{Value: v, Unit: "万人"}})
	}
	return a
}

// TestRenderChartDrawsTheSeries: the PNG is valid, small, and its line
// peaks at the first year and bottoms out at the third, as the figures do.
func TestRenderChartDrawsTheSeries(t *testing.T) {
	b, err := RenderChart(employment())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 64<<10 {
		t.Errorf("chart is %d bytes; want ≤ 64 KiB", len(b))
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() != chartWidth || r.Dy() != chartHeight {
		t.Fatalf("chart is %v; want %dx%d", r, chartWidth, chartHeight)
	}
	top, bottom, left, right, ok := lineExtent(img)
	if !ok {
		t.Fatal("no pixel of the line's colour")
	}
	w := img.Bounds().Dx()
	if left.X > w/4 || right.X < 3*w/4 {
		t.Errorf("line spans x %d..%d of %d; want the years across the width", left.X, right.X, w)
	}
	if top.X > left.X+w/8 {
		t.Errorf("highest point at x %d; want the first year's (near %d)", top.X, left.X)
	}
	third := left.X + (right.X-left.X)*2/6
	if d := bottom.X - third; d < -w/12 || d > w/12 {
		t.Errorf("lowest point at x %d; want the third year's (near %d)", bottom.X, third)
	}
}

// lineExtent finds the topmost, bottommost, leftmost and rightmost pixels
// of the line's colour.
func lineExtent(img image.Image) (top, bottom, left, right image.Point, ok bool) {
	cr, cg, cb, _ := chartColor.RGBA()
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if pr != cr || pg != cg || pb != cb {
				continue
			}
			p := image.Pt(x, y)
			if !ok {
				top, bottom, left, right, ok = p, p, p, p, true
			}
			if y > bottom.Y {
				bottom = p
			}
			if x < left.X {
				left = p
			}
			if x > right.X {
				right = p
			}
		}
	}
	return
}

// TestRenderChartConcurrent: handlers draw at once (run with -race).
func TestRenderChartConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := RenderChart(employment()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestValueTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{1161, 1386, "1150 1200 1250 1300 1350 1400"},
		{4.5, 6.2, "4.5 5.0 5.5 6.0 6.5"},
		{-0.3, 0.4, "-0.4 -0.2 0.0 0.2 0.4"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{90, 110, "90 95 100 105 110"},
		{0.012, 0.018, "0.012 0.014 0.016 0.018"},
		{1.2e6, 1.9e6, "1200000 1400000 1600000 1800000 2000000"},
		{1e18, 1e18 + 256, ""}, // k past 2^53, where k++ stays k: ends all the same
	} {
		var got []string
		ticks := valueTicks(tc.lo, tc.hi)
		if len(ticks) < 2 || len(ticks) > maxValueTicks {
			t.Errorf("valueTicks(%v, %v): %d ticks", tc.lo, tc.hi, len(ticks))
		}
		for _, tk := range ticks {
			got = append(got, tk.Label)
		}
		if g := strings.Join(got, " "); g != tc.want && tc.want != "" {
			t.Errorf("valueTicks(%v, %v) = %s; want %s", tc.lo, tc.hi, g, tc.want)
		}
	}
}

// BenchmarkRenderChart draws the typical 7-year chart.
func BenchmarkRenderChart(b *testing.B) {
	a := employment()
	var n int
	for b.Loop() {
		png, err := RenderChart(a)
		if err != nil {
			b.Fatal(err)
		}
		n = len(png)
	}
	b.ReportMetric(float64(n), "png-bytes")
}

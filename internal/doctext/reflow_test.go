package doctext

import (
	"strings"
	"testing"
)

// Page geometry of the synthetic pages: A4 with 公文 margins, 16 pt type
// (28 characters a line) on a 28 pt pitch.
const (
	tLeft  = 80.0
	tRight = tLeft + 28*16
	tSize  = 16.0
	tPitch = 28.0
	tTop   = 760.0
)

// tLine is a line of a synthetic page: its text, its indent in
// characters, and whether it is justified to the right margin.
type tLine struct {
	text   string
	indent int
	full   bool
	centre bool
	size   float64
	sameY  bool // on the baseline of the line before (a table row)
}

// typeset places each line's glyphs as a PDF would: wide characters one
// em, others half; a full line's glyphs spread to reach the right margin.
func typeset(pages ...[]tLine) [][]glyph {
	var out [][]glyph
	for _, lines := range pages {
		var gs []glyph
		y := tTop
		for _, l := range lines {
			size := l.size
			if size == 0 {
				size = tSize
			}
			if l.sameY {
				y += tPitch * size / tSize
			}
			rs := []rune(l.text)
			x := tLeft + float64(l.indent)*size
			natural := 0.0
			for _, r := range rs {
				natural += estimateWidth(string(r)) * size
			}
			if l.centre {
				x = (tLeft+tRight)/2 - natural/2
			}
			extra := 0.0
			if l.full && len(rs) > 1 {
				extra = (tRight - x - natural) / float64(len(rs)-1)
			}
			for _, r := range rs {
				w := estimateWidth(string(r)) * size
				gs = append(gs, glyph{x: x, y: y, w: w, size: size, s: string(r), space: r == ' '})
				x += w + extra
			}
			y -= tPitch * size / tSize
		}
		out = append(out, gs)
	}
	return out
}

func TestReflow(t *testing.T) {
	body := "全县各级党委理论学习中心组内容和党员干部培训计划持续推动" // 28 characters: a full line
	half := string([]rune(body)[:12])
	tests := []struct {
		name  string
		pages [][]tLine
		want  []string
	}{
		{
			name: "number and unit split by a line break",
			pages: [][]tLine{{
				{text: "坚持政府常务会议会前学法，全年组织领导干部集中学", indent: 2, full: true},
				{text: "法20余次，各乡镇、各部门开展学法1500余次，全面掀起学习贯彻", full: true},
				{text: "热潮。"},
				{text: "全县共开展法治政府建设专项督察2次。", indent: 2},
			}},
			want: []string{
				"坚持政府常务会议会前学法，全年组织领导干部集中学法20余次，各乡镇、各部门开展学法1500余次，全面掀起学习贯彻热潮。",
				"全县共开展法治政府建设专项督察2次。",
			},
		},
		{
			name: "number split inside its digits",
			pages: [][]tLine{{
				{text: "全省生产总值从2020年的3.68万亿元增长到2025年的4.9", indent: 2, full: true},
				{text: "3万亿元。"},
			}},
			want: []string{"全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元。"},
		},
		{
			name: "heading not joined to its paragraph",
			pages: [][]tLine{{
				{text: "一、主要工作和成效", indent: 2},
				{text: "（一）聚焦高位推动，党对法治建设的领导全面加强", indent: 2},
				{text: "1.深入学习贯彻习近平法治思想。" + half, indent: 2, full: true},
				{text: body}, {text: "走深走实。"},
			}},
			want: []string{
				"一、主要工作和成效",
				"（一）聚焦高位推动，党对法治建设的领导全面加强",
				"1.深入学习贯彻习近平法治思想。" + half + body + "走深走实。",
			},
		},
		{
			name: "a full-width heading ends where the indented paragraph starts",
			pages: [][]tLine{{
				{text: "（二）聚焦依法行政，行政决策力和公信力不断提升，重大决策程序全", indent: 2, full: true},
				{text: "面规范", full: false},
				{text: "2023年度县政府纳入重大行政决策事项8项。", indent: 2},
			}},
			want: []string{
				"（二）聚焦依法行政，行政决策力和公信力不断提升，重大决策程序全面规范",
				"2023年度县政府纳入重大行政决策事项8项。",
			},
		},
		{
			name: "paragraph across a page break, page numbers and running header dropped",
			pages: [][]tLine{
				{{text: "房县人民政府文件", indent: 10, size: 10}, {text: body, indent: 2, full: true}, {text: body, full: true}, {text: "— 1 —", indent: 13}},
				{{text: "房县人民政府文件", indent: 10, size: 10}, {text: body, full: true}, {text: "完。"}, {text: "下一段。", indent: 2}, {text: "— 2 —", indent: 13}},
				{{text: "房县人民政府文件", indent: 10, size: 10}, {text: "第三页。", indent: 2}, {text: "3", indent: 14}},
			},
			want: []string{body + body + body + "完。", "下一段。", "第三页。"},
		},
		{
			name: "table cells set apart on a line",
			pages: [][]tLine{{
				{text: half + half, indent: 2, full: true},
				{text: body, full: true},
				{text: "地区生产总值增长5.6%。"},
				{text: "指标", indent: 2}, {text: "数值", indent: 12, sameY: true},
			}},
			want: []string{half + half + body + "地区生产总值增长5.6%。", "指标 数值"},
		},
		{
			name: "Latin words across a line break keep their space",
			pages: [][]tLine{{
				{text: "推进 digital government and open data ser", indent: 2, full: true},
				{text: "vices and smart city projects together"},
			}},
			want: []string{"推进 digital government and open data ser vices and smart city projects together"},
		},
		{
			name: "title in larger type over two centred lines",
			pages: [][]tLine{{
				{text: "房县人民政府关于2023年度法治政府建", size: 22, full: true},
				{text: "设工作报告", centre: true, size: 22},
				{text: "各位代表：", indent: 0},
				{text: half + half, indent: 2, full: true},
				{text: body, full: true},
				{text: half + "。"},
			}},
			want: []string{"房县人民政府关于2023年度法治政府建设工作报告", "各位代表：", half + half + body + half + "。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Split(strings.TrimSuffix(reflow(typeset(tt.pages...)), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

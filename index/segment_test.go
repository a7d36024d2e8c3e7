package index

import (
	"slices"
	"strings"
	"testing"
)

func TestCutKeepsDomainTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string // each must be among the terms
		not  []string // none may be among the terms
	}{
		{"深入推进首违不罚清单制度", []string{"首违不罚", "清单", "制度"}, nil},
		{"共办理行政复议案件45件", []string{"行政复议", "行政", "复议", "案件", "45"}, []string{"共"}},
		{"全面落实一村一法律顾问制度", []string{"一村一法律顾问", "法律顾问", "法律"}, nil},
		{"深化“放管服”改革，推行一网通办、跨省通办", []string{"放管服", "一网通办", "跨省通办"}, []string{"“", "，", "、"}},
		{"持续优化营商环境，拓展信用场景", []string{"营商环境", "营商", "环境", "信用场景"}, nil},
		{"全面落实行政执法三项制度，开展八五普法", []string{"三项制度", "八五普法"}, nil},
		{"推行带押过户，落实留抵退税政策", []string{"带押过户", "留抵退税"}, nil},
		{"ＧＤＰ增长５．２％，完成１，５００余次", []string{"gdp", "5.2", "1500"}, []string{"%", "％"}},
		{"国内生产总值达到3,000亿元，增长87.2%", []string{"3000", "87.2", "国内生产总值"}, nil},
		{"政府工作报告的主要内容是什么？", []string{"政府", "工作", "报告"}, []string{"的", "是", "什么", "？", "?"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Cut(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Cut(%q) = %q, missing %q", tt.text, got, w)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("Cut(%q) = %q, has %q", tt.text, got, w)
				}
			}
		})
	}
}

func TestAnalyzeOffsetsAndPositions(t *testing.T) {
	texts := []string{
		"深入推进首违不罚清单制度，共办理行政复议案件45件。",
		"ＧＤＰ增长５．２％，完成１，５００余次 Ａｂｃ",
		"全面落实一村一法律顾问制度（2023年）",
	}
	for _, text := range texts {
		t.Run(text, func(t *testing.T) {
			lastPos := 0
			analyze(text, func(tk token) {
				if tk.start < 0 || tk.end > len(text) || tk.start >= tk.end {
					t.Fatalf("token %q: bad span [%d,%d)", tk.term, tk.start, tk.end)
				}
				src := foldString(text[tk.start:tk.end])
				src = strings.ReplaceAll(src, ",", "")
				if src != tk.term {
					t.Errorf("token %q spans %q", tk.term, text[tk.start:tk.end])
				}
				if tk.sub {
					if tk.pos != lastPos {
						t.Errorf("sub-word %q at position %d, want its word's %d", tk.term, tk.pos, lastPos)
					}
				} else if tk.pos != lastPos+1 {
					t.Errorf("word %q at position %d, want %d", tk.term, tk.pos, lastPos+1)
				}
				lastPos = tk.pos
			})
			if lastPos == 0 {
				t.Fatal("no tokens")
			}
		})
	}
}

package answer

import (
	"testing"

	"github.com/govbot/govbot/corpus"
)

// TestSpeaksOf dates sentences the way work reports are written: the
// report of year Y reviews Y−1 and plans Y; headings and wording say which.
func TestSpeaksOf(t *testing.T) {
	rep := &corpus.Report{Year: 2026}
	path := func(hs ...string) []corpus.Heading {
		var out []corpus.Heading
		for i, h := range hs {
			out = append(out, corpus.Heading{Level: i + 1, Text: h})
		}
		return out
	}
	tests := []struct {
		path     []corpus.Heading
		sentence string
		year     int
		kind     timeKind
	}{
		{path("一、2025年工作回顾"), "全市地区生产总值增长5.4%。", 2025, timeReview},
		{path("三、2026年重点工作"), "深入实施扩大内需战略。", 2026, timeTarget},
		{path("一、2025年和“十四五”时期工作回顾", "（一）经济发展"), "地区生产总值迈上6万亿元台阶。", 2025, timeReview},
		{path("一、“十四五”时期经济社会发展回顾"), "粮食产量稳定在760亿斤以上。", 0, timePeriod},
		{path("一、“十四五”时期经济社会发展回顾"), "2025年，全省粮食产量781亿斤。", 2025, timeReview},
		{path("一、过去一年和五年工作回顾"), "城镇新增就业1206万人。", 2025, timeReview},
		{path("一、工作回顾"), "过去五年，地区生产总值年均增长5.2%。", 0, timePeriod},
		{path("二、“十五五”时期主要目标任务"), "居民收入稳步增长。", 0, timePeriod},
		{path("三、2026年工作安排"), "今年经济社会发展主要预期目标是：地区生产总值增长5%左右。", 2026, timeTarget},
		{path("一、一年接着一年干，新福建建设持续取得新进展新成效"), "城镇新增就业54.58万人。", 2025, timeReview},
		{nil, "各位代表：", 0, timeUnknown},
		{path("一、１９９４年国内工作的回顾"), "国内生产总值达到４３８００亿元。", 1994, timeReview},
		{path("一、“六五”计划执行情况的回顾"), "在过去的五年中，工业总产值平均每年增长百分之十二。", 0, timePeriod},
	}
	for _, tt := range tests {
		p := &corpus.Paragraph{Path: tt.path, Text: tt.sentence}
		y, k := speaksOf(rep, p, tt.sentence)
		if y != tt.year || k != tt.kind {
			t.Errorf("%v %q: %d/%d, want %d/%d", p.SectionPath(), tt.sentence, y, k, tt.year, tt.kind)
		}
	}
}

func TestYearBefore(t *testing.T) {
	tests := []struct {
		s    string
		want int
	}{
		{"初步统计，2024年全省地区生产总值", 2024},
		{"1 9 9 7 年粮食产量达到", 1997},
		{"全省生产总值从2020年的3.68万亿元增长到2025年的", 2025},
		{"2021年以来累计", 0},
		{"１９８２年重工业总产值比上年增长", 1982},
		{"粮食产量", 0},
		{"2024年全省粮食产量比2023年增长", 2024},
		{"一九五四年预计产量来同一九四九年产量比较一下：电力一百零八亿度，等于一九四九年的二点五倍；原煤", 1954},
		{"较2019年", 0},
	}
	for _, tt := range tests {
		if got := yearBefore(tt.s); got != tt.want {
			t.Errorf("yearBefore(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

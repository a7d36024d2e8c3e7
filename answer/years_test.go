package answer

import (
	"slices"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
)

// TestSpeaksOf dates sentences the way work reports are written: the
// report of year Y reviews Y−1 and plans Y; headings and wording say which.
func TestSpeaksOf(t *testing.T) {
	rep := &corpus.Report{Meta: corpus.Meta{Year: 2026}}
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
		// The past year named after a short opening; a heading of both the
		// situation and the tasks says neither.
		{path("一、当前国内形势和基本任务"), "在经济领域，过去一年里取得的最重要的成绩，就是把经济过热现象初步调整过来。", 2025, timeReview},
		{path("一、当前国内形势和基本任务"), "钢产量达到5205万吨。", 0, timeUnknown},
		{path("三、2026年重点工作"), "要比去年，做得更好。", 2026, timeTarget},
		// The report's own year planned by its number.
		{path("一、工作回顾"), "2026年计划粮食产量三千九百二十亿斤和棉花产量三千五百万担的指标。", 2026, timeTarget},
		{path("一、工作回顾"), "二〇二六年计划粮食产量三千九百二十亿斤。", 2026, timeTarget},
		// The ground a sentence builds on is not what it speaks of.
		{path("一、工作回顾"), "在1992年快速增长的基础上，1993年我国经济继续蓬勃发展，国民生产总值达到31380亿元。", 1993, timeReview},
		{path("一、2025年工作回顾"), "在1979到1983年平均每年递增7.9%的基础上，比上年增长14.2%。", 2025, timeReview},
		// A goal met is a result.
		{path("一、2025年工作回顾"), "城镇新增就业1312万人，超过全年预期目标。", 2025, timeReview},
		{path("一、2025年工作回顾"), "全面完成全年主要预期目标任务，地区生产总值增长5.4%。", 2025, timeReview},
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
		{"以粮食和棉花来说，1952年到1956年五年间的实际产量合计，粮食为", 0},
		{"2021—2025年累计", 0},
	}
	for _, tt := range tests {
		if got := yearBefore(tt.s); got != tt.want {
			t.Errorf("yearBefore(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestSpellYears: years written with two digits or in Chinese numerals
// are read as four-digit years; counts of years are left alone.
func TestSpellYears(t *testing.T) {
	tests := []struct{ in, want string }{
		{"98年粮食产量多少", "1998年粮食产量多少"},
		{"九八年粮食总产量有多少公斤", "1998年粮食总产量有多少公斤"},
		{"二三年国内生产总值增长多少", "2023年国内生产总值增长多少"},
		{"23年城镇新增就业多少人", "2023年城镇新增就业多少人"},
		{"全国24年GDP", "全国2024年GDP"},
		{"一九八六年钢产量达到多少", "1986年钢产量达到多少"},
		{"二〇一九年国内生产总值", "2019年国内生产总值"},
		{"二零二五年的目标", "2025年的目标"},
		{"一九○七年钢产量", "1907年钢产量"},
		{"从98年到02年粮食产量", "从1998年到2002年粮食产量"},
		{"2024年GDP", "2024年GDP"},
		// Counts of years.
		{"近10年粮食产量", "近10年粮食产量"},
		{"连续12年增长", "连续12年增长"},
		{"20年来变化", "20年来变化"},
		{"新中国成立50年", "新中国成立50年"},
		{"再过三五年", "再过三五年"},
		{"用了10年时间", "用了10年时间"},
		{"那20年里", "那20年里"},
		{"45年", "45年"},
	}
	for _, tt := range tests {
		if got := spellYears(tt.in); got != tt.want {
			t.Errorf("spellYears(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTargetForActual: a year's result asked when the report reviewing
// that year gives no figure, only the goal set for it: the answer says
// plainly that the result is not given, names the goal as a goal, and
// offers no figure; with a year the goal is asked for, it answers.
func TestTargetForActual(t *testing.T) {
	e := subsetEngine(t)
	for _, q := range []string{"湖北2025年城镇新增就业多少万人", "湖北25年城镇新增就业有多少人", "二〇二五年湖北城镇新增就业多少"} {
		a := ask(t, e, nil, q)
		if a.Answered || a.Figure != nil {
			t.Errorf("%s: want no result given, got %s", q, describe(a))
			continue
		}
		if !strings.Contains(a.Reply, "没有给出2025年的实际数字") || !strings.Contains(a.Reply, "70万人以上（2025年目标）") {
			t.Errorf("%s: reply %q should say the result is not given and what the goal was", q, a.Reply)
		}
	}
	a := ask(t, e, nil, "湖北2025年城镇新增就业目标是多少")
	if !a.Answered || a.Figure == nil || a.Figure.Text != "70万人" {
		t.Errorf("goal asked: got %s", describe(a))
	}
	// No report reviews the newest year: the goal is shown as the goal.
	a = ask(t, e, nil, "2025年国内生产总值增长多少")
	if !a.Answered || a.Figure == nil || a.Note != "2025年目标" {
		t.Errorf("newest year: want the goal with its note, got %s", describe(a))
	}
}

// TestPeriodCarries: in a paragraph, a sentence that opens several years
// ("过去五年，…") speaks for the sentences after it that say no period of
// their own; a first sentence naming the year reviewed does the same.
func TestPeriodCarries(t *testing.T) {
	rep := &corpus.Report{Meta: corpus.Meta{Year: 2016}}
	path := []corpus.Heading{{Level: 1, Text: "一、2015年工作回顾"}}
	tests := []struct {
		text  string
		kinds []timeKind
	}{
		{"2015年是“十二五”收官之年。过去五年，我国发展成就举世瞩目。城镇新增就业人数超过6400万人。",
			[]timeKind{timeReview, timePeriod, timePeriod}},
		{"过去一年，经济运行总体平稳。城镇新增就业1312万人。", []timeKind{timeReview, timeReview}},
		{"过去五年，发展成就举世瞩目。2015年，城镇新增就业1312万人。", []timeKind{timePeriod, timeReview}},
	}
	for _, tt := range tests {
		var c paraCache
		para := &corpus.Paragraph{Path: path, Text: tt.text}
		f := c.facts(rep, para)
		var got []timeKind
		for _, sf := range f.sentences {
			k := sf.kind
			if !sf.ok {
				k = f.hKind
			}
			got = append(got, k)
		}
		if !slices.Equal(got, tt.kinds) {
			t.Errorf("%q: kinds %v, want %v", tt.text, got, tt.kinds)
		}
	}
}

// TestYearSpansAsked: a span of years asked for asks for each of its years.
func TestYearSpansAsked(t *testing.T) {
	tests := []struct {
		q     string
		years []int
	}{
		{"2020年到2023年国内生产总值增长多少", []int{2020, 2021, 2022, 2023}},
		{"2019—2022年城镇新增就业分别是多少", []int{2019, 2020, 2021, 2022}},
		{"从2016至2018年粮食产量", []int{2016, 2017, 2018}},
		{"从98年到01年粮食产量", []int{1998, 1999, 2000, 2001}},
		{"二〇二〇年到二〇二二年GDP增长多少", []int{2020, 2021, 2022}},
		// The span as a whole, and a span longer than a comparison lists.
		{"2021—2025年国内生产总值年均增长多少", []int{2025}},
		{"1978年到2024年GDP增长了多少", []int{1978, 2024}},
	}
	for _, tt := range tests {
		if got := parseQuestion(tt.q, nil).years; !slices.Equal(got, tt.years) {
			t.Errorf("%s: years %v, want %v", tt.q, got, tt.years)
		}
	}
}

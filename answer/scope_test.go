package answer

import (
	"strings"
	"testing"
)

// TestIssuerDirectory resolves the names users give places and bodies.
func TestIssuerDirectory(t *testing.T) {
	dir := newIssuerDirectory([]string{"国务院", "湖北省人民政府", "内蒙古自治区人民政府", "房县人民政府", "北京市人民政府", "新疆维吾尔自治区人民政府"})
	tests := []struct {
		q       string
		want    []string
		unknown string
	}{
		{"湖北2024年地区生产总值", []string{"湖北省人民政府"}, ""},
		{"湖北省的GDP", []string{"湖北省人民政府"}, ""},
		{"湖北省人民政府报告", []string{"湖北省人民政府"}, ""},
		{"内蒙古粮食产量", []string{"内蒙古自治区人民政府"}, ""},
		{"内蒙古自治区粮食产量", []string{"内蒙古自治区人民政府"}, ""},
		{"新疆自治区城镇新增就业", []string{"新疆维吾尔自治区人民政府"}, ""},
		{"全国城镇新增就业", []string{"国务院"}, ""},
		{"国务院报告里的赤字率", []string{"国务院"}, ""},
		{"我国外汇储备", []string{"国务院"}, ""},
		{"房县行政复议", []string{"房县人民政府"}, ""},
		{"北京和湖北的生产总值", []string{"北京市人民政府", "湖北省人民政府"}, ""},
		{"台湾省GDP", nil, "台湾省"},
		{"四川地区生产总值", nil, "四川"},
		{"行政复议案件多少件", nil, ""},
		{"全市城镇新增就业", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, rest := dir.find(tt.q)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("find(%q) = %v, want %v", tt.q, got, tt.want)
			}
			if len(got) == 0 {
				if u := dir.unknownPlace(rest); u != tt.unknown {
					t.Errorf("unknownPlace(%q) = %q, want %q", rest, u, tt.unknown)
				}
			}
		})
	}
}

// TestParseQuestion checks what is understood of a question: number and
// unit asked, years, relative years, targets, comparisons, "this report".
func TestParseQuestion(t *testing.T) {
	tests := []struct {
		q                      string
		number                 bool
		unit                   string
		years                  []int
		relative               int
		hasRelative            bool
		target, compare, deict bool
	}{
		{q: "房县去年一共办了多少件行政复议案件?", number: true, unit: "件", relative: -1, hasRelative: true},
		{q: "全国城镇新增就业这几年分别是多少", number: true, compare: true},
		{q: "湖北2024年和2025年地区生产总值对比", number: true, years: []int{2024, 2025}, compare: true},
		{q: "2024年城镇新增就业多少万人", number: true, unit: "人", years: []int{2024}},
		{q: "浙江今年生产总值增长目标", number: true, unit: "%", hasRelative: true, target: true},
		{q: "今年的重点任务有哪些", hasRelative: true, target: true},
		{q: "网上办理率达到多少", number: true, unit: "%"},
		{q: "２０２５年预期目标", years: []int{2025}, target: true},
		{q: "明年粮食产量目标", number: true, relative: 1, hasRelative: true, target: true},
		{q: "这份报告的发布机构是谁", deict: true},
		{q: "行政执法三项制度落实得怎么样"},
		{q: "二〇二四年城镇新增就业多少人", number: true, unit: "人", years: []int{2024}},
		{q: "24年GDP多少", number: true, unit: "元", years: []int{2024}},
		{q: "贵州去年旅游收入多少", number: true, unit: "元", relative: -1, hasRelative: true},
		{q: "研发经费投入多少", number: true, unit: "元"},
		{q: "旅游收入增长多少", number: true, unit: "%"},
		{q: "近10年GDP增长多少", number: true, unit: "%"},
		{q: "连续12年粮食产量多少", number: true},
		{q: "全国近三年城镇新增就业多少", number: true, compare: true},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q := parseQuestion(tt.q, nil)
			if q.wantsNumber != tt.number || q.unit != tt.unit {
				t.Errorf("wantsNumber=%v unit=%q, want %v %q", q.wantsNumber, q.unit, tt.number, tt.unit)
			}
			if !equalInts(q.years, tt.years) || q.hasRelative != tt.hasRelative || q.relative != tt.relative {
				t.Errorf("years=%v relative=%v/%d, want %v %v/%d", q.years, q.hasRelative, q.relative, tt.years, tt.hasRelative, tt.relative)
			}
			if q.target != tt.target || q.compare != tt.compare || q.deictic != tt.deict {
				t.Errorf("target=%v compare=%v deictic=%v, want %v %v %v", q.target, q.compare, q.deictic, tt.target, tt.compare, tt.deict)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestIssuerScoping asks questions that name an issuer, by full or short
// name, on the subset corpus: the answer must come from that issuer's
// reports, and an issuer without reports gets "no report from X".
func TestIssuerScoping(t *testing.T) {
	e := subsetEngine(t)
	tests := []struct {
		q      string
		issuer string // "" means abstain
		figure string
		reason string // for abstentions: the place named
	}{
		{q: "湖北2024年地区生产总值是多少", issuer: "湖北省人民政府", figure: "60013亿元"},
		{q: "湖北省2024年地区生产总值是多少", issuer: "湖北省人民政府", figure: "60013亿元"},
		{q: "内蒙古2025年地区生产总值增长多少", issuer: "内蒙古自治区人民政府", figure: "4.7%"},
		{q: "内蒙古自治区2025年地区生产总值增长多少", issuer: "内蒙古自治区人民政府", figure: "4.7%"},
		{q: "全国2024年城镇新增就业多少人", issuer: "国务院", figure: "1256万人"},
		{q: "国务院2024年城镇新增就业多少人", issuer: "国务院", figure: "1256万人"},
		{q: "2024年城镇新增就业多少人", issuer: "国务院", figure: "1256万人"}, // no place: national
		{q: "广东2024年城镇新增就业多少人", issuer: "广东省人民政府", figure: "143万人"},
		{q: "房县行政复议案件办了多少件", issuer: "房县人民政府", figure: "45件"},
		{q: "台湾省GDP是多少", reason: "台湾省"},
		{q: "四川2024年地区生产总值是多少", reason: "四川"},
		{q: "武汉市2024年地区生产总值", reason: "武汉市"},
		{q: "请问十堰GDP是多少", reason: "十堰"},
		{q: "纽约GDP多少", reason: "纽约"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if tt.issuer == "" {
				if a.Answered {
					t.Fatalf("want abstention naming %s, got %s", tt.reason, describe(a))
				}
				if !strings.Contains(a.Reason, tt.reason) {
					t.Errorf("reason %q does not name %s", a.Reason, tt.reason)
				}
				return
			}
			if !a.Answered || a.Figure == nil || len(a.Answers) == 0 {
				t.Fatalf("want %s from %s, got %s", tt.figure, tt.issuer, describe(a))
			}
			if got := a.Answers[0].Report.Issuer; got != tt.issuer {
				t.Errorf("issuer %s, want %s (%s)", got, tt.issuer, describe(a))
			}
			if a.Figure.Text != tt.figure {
				t.Errorf("figure %s, want %s (%s)", a.Figure.Text, tt.figure, describe(a))
			}
			if !strings.Contains(a.Answers[0].Excerpt, tt.figure) {
				t.Errorf("excerpt does not state %s: %s", tt.figure, a.Answers[0].Excerpt)
			}
		})
	}
}

// TestYearScoping checks the way work reports speak of years: the report
// delivered in Y reviews Y−1 and sets targets for Y; 去年/今年/明年 count
// from the issuer's newest report; without a year the newest report wins
// and the reply says which year.
func TestYearScoping(t *testing.T) {
	e := subsetEngine(t)
	tests := []struct {
		q      string
		report string // "" means abstain
		figure string
		year   int
		period string
		note   string
	}{
		// Review of 2024 is in the report delivered in 2025.
		{q: "2024年国内生产总值是多少", report: "2025-state-council-gwr", figure: "134.9万亿元", year: 2024, period: "review"},
		{q: "2023年城镇新增就业多少人", report: "2024-state-council-gwr", figure: "1244万人", year: 2023, period: "review"},
		{q: "2024年粮食产量是多少", report: "2025-state-council-gwr", figure: "1.4万亿斤", year: 2024, period: "review"},
		// Not the 2023 target (5%左右) of the 2023 report: the result, reviewed in 2024.
		{q: "2023年国内生产总值增长多少", report: "2024-state-council-gwr", figure: "5.2%", year: 2023, period: "review"},
		{q: "北京2025年地区生产总值增长多少", report: "2026-beijing-gwr", figure: "5.4%", year: 2025, period: "review"},
		{q: "上海2025年全市生产总值是多少", report: "2026-shanghai-gwr", figure: "5.67万亿元", year: 2025, period: "review"},
		// Targets for Y are in the report delivered in Y.
		{q: "2025年国内生产总值预期目标是多少", report: "2025-state-council-gwr", figure: "5%", year: 2025, period: "target"},
		{q: "国务院2025年粮食产量目标", report: "2025-state-council-gwr", figure: "1.4万亿斤", year: 2025, period: "target"},
		// Relative years against the issuer's newest report.
		{q: "今年的经济增长目标是多少", report: "2025-state-council-gwr", figure: "5%", year: 2025, period: "target"},
		{q: "湖北去年地区生产总值是多少", report: "2026-hubei-gwr", figure: "62661亿元", year: 2025, period: "review"},
		{q: "湖北今年城镇新增就业目标", report: "2026-hubei-gwr", figure: "70万人", year: 2026, period: "target"},
		{q: "广东去年城镇新增就业多少", report: "2025-guangdong-gwr", figure: "143万人", year: 2024, period: "review"},
		{q: "黑龙江去年粮食总产量多少", report: "2025-heilongjiang-gwr", figure: "1600亿斤", year: 2024, period: "review"},
		{q: "国务院明年粮食产量目标"},
		// A result asked, the next report reviews the year without the figure,
		// only the goal is stated: abstain, saying so (TestTargetForActual).
		{q: "湖北2025年城镇新增就业多少万人"},
		// No year: the newest report, and the reply says which year.
		{q: "湖北地区生产总值是多少", report: "2026-hubei-gwr", figure: "62661亿元", year: 2025, period: "review", note: "2025年"},
		{q: "北京GDP增长多少", report: "2026-beijing-gwr", figure: "5.4%", year: 2025, period: "review", note: "2025年"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if tt.report == "" {
				if a.Answered {
					t.Fatalf("want abstention, got %s", describe(a))
				}
				return
			}
			if !a.Answered || a.Figure == nil || len(a.Answers) == 0 {
				t.Fatalf("want %s, got %s", tt.figure, describe(a))
			}
			p := a.Answers[0]
			if p.Report.ID != tt.report || a.Figure.Text != tt.figure || p.Year != tt.year || p.Period != tt.period {
				t.Errorf("got %s %s year=%d %s, want %s %s year=%d %s (%s)", p.Report.ID, a.Figure.Text, p.Year, p.Period,
					tt.report, tt.figure, tt.year, tt.period, describe(a))
			}
			if a.Note != tt.note {
				t.Errorf("note %q, want %q", a.Note, tt.note)
			}
			first, _, _ := strings.Cut(a.Reply, "\n")
			if !strings.HasPrefix(first, figureLine(a.Figure)) || (tt.note != "" && !strings.Contains(first, tt.note)) {
				t.Errorf("first line %q should be the figure with note %q", first, tt.note)
			}
		})
	}
}

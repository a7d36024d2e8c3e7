package answer

import (
	"context"
	"strings"
	"sync"
	"testing"
)

// TestCompare checks comparisons across years: one line per year, oldest
// first, each from the report that reviews that year, with the change when
// the units agree. The replies are golden.
func TestCompare(t *testing.T) {
	e := subsetEngine(t)
	tests := []struct {
		name, q string
		years   []int
		figures []string
	}{
		// The subset holds the national reports of 2023–2025: they review 2022–2024.
		{"compare_national_jobs", "全国城镇新增就业这几年分别是多少", []int{2022, 2023, 2024}, []string{"1206万人", "1244万人", "1256万人"}},
		{"compare_hubei_gdp", "湖北2024年和2025年地区生产总值对比", []int{2024, 2025}, []string{"60013亿元", "62661亿元"}},
		{"compare_beijing_growth", "北京2024年和2025年地区生产总值增长分别是多少", []int{2024, 2025}, []string{"5.2%", "5.4%"}},
		// Between issuers: one line each for the year asked.
		{"compare_beijing_shanghai", "北京和上海去年GDP对比", []int{2025, 2025}, []string{"5.2万亿元", "5.67万亿元"}},
		{"compare_national_growth", "全国GDP历年增长", []int{2022, 2023, 2024}, []string{"3%", "5.2%", "5%"}},
		{"compare_hubei_last_two", "湖北近两年GDP", []int{2024, 2025}, []string{"60013亿元", "62661亿元"}},
		// Goals: each report's own year.
		{"compare_national_targets", "全国这几年经济增长目标分别是多少", []int{2023, 2024, 2025}, []string{"5%", "5%", "5%"}},
		{"compare_targets_two_places", "湖北和北京今年经济增长目标对比", []int{2026, 2026}, []string{"5.5%", "5%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if len(a.Series) != len(tt.years) {
				t.Fatalf("series of %d years, want %v: %s", len(a.Series), tt.years, a.Reply)
			}
			for i, p := range a.Series {
				if p.Year != tt.years[i] || p.Figure.Text != tt.figures[i] {
					t.Errorf("line %d: %d %s, want %d %s", i, p.Year, p.Figure.Text, tt.years[i], tt.figures[i])
				}
				ps := a.Answers[p.Passage]
				switch {
				case ps.Period == "target" && ps.Report.Year != p.Year:
					t.Errorf("line %d: goal for %d cited from the %d report, want the one of that year", i, p.Year, ps.Report.Year)
				case ps.Period != "target" && ps.Report.Year != p.Year+1:
					t.Errorf("line %d: %d cited from the %d report, want the one reviewing it", i, p.Year, ps.Report.Year)
				}
			}
			checkGolden(t, tt.name, a.Reply)
		})
	}
}

// TestChange checks the change shown between two years.
func TestChange(t *testing.T) {
	tests := []struct {
		a, b Figure
		want string
	}{
		{Figure{Value: 60013e8, Unit: "亿元"}, Figure{Value: 62661e8, Unit: "亿元"}, "+4.4%"},
		{Figure{Value: 5.2, Unit: "%"}, Figure{Value: 5.4, Unit: "%"}, "+0.2个百分点"},
		{Figure{Value: 5.8, Unit: "％"}, Figure{Value: 5.5, Unit: "%"}, "-0.3个百分点"},
		{Figure{Value: 1206e4, Unit: "万人"}, Figure{Value: 1.3e12, Unit: "万亿斤"}, ""},
	}
	for _, tt := range tests {
		if got := change(tt.a, tt.b); got != tt.want {
			t.Errorf("change(%v, %v) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAbstain checks that govbot says the reports do not say, and never
// gives another issuer's or topic's figure. The replies are golden.
func TestAbstain(t *testing.T) {
	e := subsetEngine(t)
	tests := []struct{ name, q, reason string }{
		{"abstain_enrolment", "房县今年中小学招生政策", "没有找到"},
		{"abstain_county_revenue", "房县今年财政收入是多少?", "没有"},
		{"abstain_unknown_province", "台湾省GDP是多少", "没有收录台湾省的报告"},
		{"abstain_unknown_city", "武汉市2024年地区生产总值", "没有收录武汉市的报告"},
		{"abstain_no_year", "2019年城镇新增就业多少人", "没有找到关于2019年的报告"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if a.Answered || a.Figure != nil {
				t.Fatalf("want abstention, got %s", describe(a))
			}
			if !strings.Contains(a.Reason, tt.reason) {
				t.Errorf("reason %q, want it to say %q", a.Reason, tt.reason)
			}
			checkGolden(t, tt.name, a.Reply)
		})
	}
}

// TestMeta checks questions about the report itself. "这份报告" is the report
// the conversation is about: the report of the previous answer.
func TestMeta(t *testing.T) {
	e := subsetEngine(t)
	var s Session
	steps := []struct{ q, want string }{
		{"房县行政复议案件办了多少件", "45件"},
		{"这份报告的发布机构是谁", "发布机构：房县人民政府"},
		{"这份报告是什么时候发布的", "2024年2月28日"},
		{"本报告的索引号是多少", "01145506X/2024-15651"},
		{"湖北2024年地区生产总值是多少", "60013亿元"},
		{"这份报告的发布机构是谁", "发布机构：湖北省人民政府"},
		{"这个报告的标题是什么", "《2025年湖北省政府工作报告》"},
		{"这份报告的文号是什么", "没有注明文号"},
	}
	for _, st := range steps {
		a := ask(t, e, &s, st.q)
		if !strings.Contains(a.Reply, st.want) {
			t.Errorf("%s: reply %q, want it to contain %q", st.q, a.Reply, st.want)
		}
	}
	// Outside a conversation, the newest report in scope answers, named in full.
	a := ask(t, e, nil, "北京这份报告的发布机构是谁")
	if !a.Answered || !strings.Contains(a.Reply, "北京市人民政府") {
		t.Errorf("issuer of Beijing's report: %s", describe(a))
	}
	// A report named by what it says.
	if a := ask(t, e, nil, "讲行政复议的那份报告是谁发布的"); !strings.Contains(a.Reply, "发布机构：房县人民政府") {
		t.Errorf("report named by its topic: %s", describe(a))
	}
	checkGolden(t, "meta_issuer", ask(t, e, &s, "房县的报告是谁发布的").Reply)
}

// TestReplyFormat checks a figure reply line by line: figure first, the
// excerpt with the figure marked, the citation with section path, issuer
// and date.
func TestReplyFormat(t *testing.T) {
	e := subsetEngine(t)
	a := ask(t, e, nil, "房县去年一共办了多少件行政复议案件?")
	checkGolden(t, "figure_county", a.Reply)
	a = ask(t, e, nil, "2024年国内生产总值是多少")
	checkGolden(t, "figure_national", a.Reply)
	a = ask(t, e, nil, "行政执法三项制度落实得怎么样")
	checkGolden(t, "passage_county", a.Reply)
}

// TestNoUnrelatedNumber checks that a figure is only given when it counts
// what was asked: a place the reports merely mention, or a sentence on the
// topic whose numbers count something else, gives no figure.
func TestNoUnrelatedNumber(t *testing.T) {
	e := subsetEngine(t)
	tests := []struct {
		q        string
		answered bool   // the nearest passage without figure, under the caveat, when true
		excerpt  string // the passage shown
	}{
		// 深圳 appears in Guangdong's glossary next to "3个"; no report gives its GDP.
		{q: "深圳2025年GDP", answered: false},
		// Hubei's report says Wuhan passed 2万亿 without a figure of its own.
		{q: "武汉的地区生产总值是多少", answered: true, excerpt: "武汉跨入地区生产总值两万亿级城市行列"},
		// The 2024 national report plans 高标准农田 without a number.
		{q: "2024年全国高标准农田建设多少亩", answered: true, excerpt: "高标准农田"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := ask(t, e, nil, tt.q)
			if a.Figure != nil || a.Answered || (len(a.Answers) > 0) != tt.answered {
				t.Fatalf("want not answered, without figure, with a passage: %v; got %s", tt.answered, describe(a))
			}
			if tt.answered && (!strings.Contains(a.Answers[0].Excerpt, tt.excerpt) || !strings.HasPrefix(a.Reply, "报告没有给出这一项的具体数字")) {
				t.Errorf("want the passage %q said to have no figure, got %q", tt.excerpt, a.Reply)
			}
		})
	}
}

// TestNamedReport checks questions that name a report by its year and ask
// who delivered it.
func TestNamedReport(t *testing.T) {
	e := subsetEngine(t)
	a := ask(t, e, nil, "2024年政府工作报告是谁作的")
	if !strings.Contains(a.Reply, "报告人：国务院总理 李强") || a.Answers[0].Report.ID != "2024-state-council-gwr" {
		t.Errorf("speaker of the 2024 report: %s", describe(a))
	}
	a = ask(t, e, nil, "2024年政府工作报告中城镇新增就业目标是多少")
	if a.Figure == nil || a.Figure.Text != "1200万人" || a.Answers[0].Report.ID != "2024-state-council-gwr" {
		t.Errorf("target in the 2024 report: %s", describe(a))
	}
	a = ask(t, e, nil, "2019年政府工作报告的发布机构")
	if a.Answered || !strings.Contains(a.Reason, "没有收录2019年的报告") {
		t.Errorf("report of a year not indexed: %s", describe(a))
	}
}

// TestListAnswer checks "X有哪些" over a section: the reply is the report's
// own list of the headings under the section that names X.
func TestListAnswer(t *testing.T) {
	e := subsetEngine(t)
	a := ask(t, e, nil, "湖北今年的重点工作有哪些")
	p := a.Answers[0]
	if p.Report.ID != "2026-hubei-gwr" || len(p.Section) != 1 || !strings.Contains(p.Section[0], "2026年的重点工作") {
		t.Fatalf("want the list under Hubei's 2026 重点工作, got %s section %v", describe(a), p.Section)
	}
	if lines := strings.Split(p.Excerpt, "\n"); len(lines) < 5 || !strings.HasPrefix(lines[0], "（一）") {
		t.Errorf("want one line per sub-heading, got %q", p.Excerpt)
	}
	checkGolden(t, "list_hubei", a.Reply)
}

// TestBadInput checks that odd questions get a clear reply, not an error
// and not a figure.
func TestBadInput(t *testing.T) {
	e := subsetEngine(t)
	for _, q := range []string{"", "   \u3000 ", strings.Repeat("行政复议", 200), "？？？", "😀😀", "hello", "\xff\xfe多少", "你好", "谢谢！"} {
		a := ask(t, e, nil, q)
		if a.Figure != nil || a.Reply == "" || a.Answered {
			t.Errorf("%.20q: want a reply without figure, got %s", q, describe(a))
		}
	}
	if a := ask(t, e, nil, "你好"); !strings.HasPrefix(a.Reply, "你好！") {
		t.Errorf("greeting: %q", a.Reply)
	}
}

// TestConcurrentAsk asks from several goroutines at once, each its own
// conversation, and checks that each gets its own answers.
func TestConcurrentAsk(t *testing.T) {
	e := subsetEngine(t)
	qs := map[string]string{"房县行政复议案件办了多少件": "房县人民政府", "湖北2024年地区生产总值是多少": "湖北省人民政府", "2024年城镇新增就业多少人": "国务院"}
	errs := make(chan string, 30)
	var wg sync.WaitGroup
	for q, issuer := range qs {
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var s Session
				a, err := e.AskIn(context.Background(), &s, q)
				if err != nil {
					errs <- err.Error()
					return
				}
				b, err := e.AskIn(context.Background(), &s, "这份报告的发布机构是谁")
				if err != nil || !strings.Contains(b.Reply, issuer) || a.Answers[0].Report.Issuer != issuer {
					errs <- q + ": " + b.Reply
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

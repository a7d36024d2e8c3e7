package bot

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/bot/bottest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// fixtureAnswer is a fixed answer, so the golden files do not move when
// the engine's ranking does. Its text holds HTML metacharacters on purpose.
func fixtureAnswer() *answer.Answer {
	ex := "全年共办理行政复议案件45件，<b>行政应诉</b>案件38件，纠错率达到15.6%&更高。"
	i := strings.Index(ex, "45件")
	return &answer.Answer{
		Question: "房县去年一共办了多少件行政复议案件?",
		Answered: true,
		Figure:   &answer.Figure{Text: "45件", Value: 45, Unit: "件", Context: "办理行政复议案件"},
		Answers: []answer.Passage{
			{
				Report: answer.ReportRef{
					ID: "2024-fangxian-fzzf", Title: "房县人民政府关于2023年度法治政府建设工作报告", Issuer: "房县人民政府",
					Published: time.Date(2024, 3, 20, 0, 0, 0, 0, time.UTC), Year: 2024,
					URL: "http://www.fangxian.gov.cn/zwgk/fdzdgknr/fzzfjs/202403/t20240320.shtml?a=1&b=2",
				},
				Section:   []string{"二、2023年度法治政府建设主要举措和成效", "(五)聚焦依法治理,行政复议应诉工作扎实推进"},
				Paragraph: "2024-fangxian-fzzf#p31",
				Excerpt:   ex,
				Mark:      [2]int{i, i + len("45件")},
			},
			{
				Report:  answer.ReportRef{Title: "房县2024年政府工作报告", Issuer: "房县人民政府", Year: 2024},
				Section: []string{"一、2023年工作回顾"},
				Excerpt: "行政复议决定书网上公开率100%。",
				Mark:    [2]int{len("行政复议决定书网上公开率"), len("行政复议决定书网上公开率100%")},
			},
		},
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestRenderGolden(t *testing.T) {
	long := fixtureAnswer()
	p := &long.Answers[0]
	// A 6000-rune excerpt with the figure in the middle: the reply must be
	// cut around the figure and stay under the limit.
	pad := strings.Repeat("坚持依法行政，推进严格规范公正文明执法。", 150)
	p.Excerpt = pad + "全年共办理行政复议案件45件。" + pad
	i := strings.Index(p.Excerpt, "45件")
	p.Mark = [2]int{i, i + len("45件")}

	fact := &answer.Answer{Question: "这份报告是谁发布的?", Answered: true, Fact: "房县人民政府", Answers: fixtureAnswer().Answers[:1]}

	tests := []struct {
		name string
		got  string
	}{
		{"figure", RenderAnswer(fixtureAnswer(), 0)},
		{"second_passage", RenderAnswer(fixtureAnswer(), 1)},
		{"fact", RenderAnswer(fact, 0)},
		{"abstention", RenderAnswer(&answer.Answer{
			Question: "房县去年GDP是多少?", Answered: false,
			Reason:      "报告中没有提到房县的地区生产总值。",
			Suggestions: []string{"行政复议案件", "普法活动", "行政执法<监督>"},
		}, 0)},
		{"long_truncated", RenderAnswer(long, 0)},
		{"reports", reportsText(fixtureReports(), ParseReportFilter("湖北 2025"), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := tgLen(tt.got); n > MaxMessageLen {
				t.Fatalf("reply is %d UTF-16 units, over %d", n, MaxMessageLen)
			}
			golden(t, tt.name, tt.got)
		})
	}
}

func TestRenderFigureFirstAndEscaped(t *testing.T) {
	got := RenderAnswer(fixtureAnswer(), 0)
	if !strings.HasPrefix(got, "<b>45件</b>") {
		t.Errorf("reply does not start with the figure in bold:\n%s", got)
	}
	for _, want := range []string{
		"<b><u>45件</u></b>",       // the mark
		"&lt;b&gt;行政应诉&lt;/b&gt;", // report text escaped, not interpreted
		"15.6%&amp;更高",            // & escaped
		"《房县人民政府关于2023年度法治政府建设工作报告》", // title in 《》
		"房县人民政府 · 2024-03-20",        // issuer and date
		" › ",                        // section path
		"?a=1&amp;b=2",               // link escaped in the attribute
	} {
		if !strings.Contains(got, want) {
			t.Errorf("reply lacks %q:\n%s", want, got)
		}
	}
}

func TestRenderLongKeepsMark(t *testing.T) {
	a := fixtureAnswer()
	p := &a.Answers[0]
	p.Excerpt = strings.Repeat("甲", 9000) + "45件" + strings.Repeat("乙", 9000)
	p.Mark = [2]int{len(strings.Repeat("甲", 9000)), len(strings.Repeat("甲", 9000)) + len("45件")}
	got := RenderAnswer(a, 0)
	if n := tgLen(got); n > MaxMessageLen || n < MaxMessageLen-200 {
		t.Errorf("long reply is %d units; want just under %d", n, MaxMessageLen)
	}
	if !strings.Contains(got, "…甲") || !strings.Contains(got, "乙…") || !strings.Contains(got, "<b><u>45件</u></b>") {
		t.Errorf("long reply is not cut around the mark")
	}
}

func TestMarkedExcerptBadMark(t *testing.T) {
	tests := []struct {
		name string
		mark [2]int
	}{
		{"out of range", [2]int{5, 500}},
		{"reversed", [2]int{6, 3}},
		{"inside a rune", [2]int{1, 4}},
		{"negative", [2]int{-1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := markedExcerpt("行政复议<45>件", tt.mark, -1)
			if got != "行政复议&lt;45&gt;件" {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestParseReportFilter(t *testing.T) {
	tests := []struct {
		in   string
		want ReportFilter
	}{
		{"", ReportFilter{}},
		{"湖北 2025", ReportFilter{Year: 2025, Words: []string{"湖北"}}},
		{"2024年 房县", ReportFilter{Year: 2024, Words: []string{"房县"}}},
		{"12345", ReportFilter{Words: []string{"12345"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := ParseReportFilter(tt.in)
			if got.Year != tt.want.Year || strings.Join(got.Words, ",") != strings.Join(tt.want.Words, ",") {
				t.Errorf("ParseReportFilter(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func fixtureReports() []answer.ReportSummary {
	mk := func(id, title, issuer string, y int, m time.Month, d int) answer.ReportSummary {
		return answer.ReportSummary{ReportRef: answer.ReportRef{ID: id, Title: title, Issuer: issuer, Year: y, Published: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), URL: "https://example.gov.cn/" + id}, Paragraphs: 80, Figures: 120}
	}
	return []answer.ReportSummary{
		mk("2025-hubei", "2025年湖北省政府工作报告", "湖北省人民政府", 2025, 1, 20),
		mk("2025-wuhan", "2025年武汉市政府工作报告", "武汉市人民政府", 2025, 1, 8),
		mk("2025-guowuyuan", "2025年国务院政府工作报告", "国务院", 2025, 3, 5),
		mk("2024-hubei", "2024年湖北省政府工作报告", "湖北省人民政府", 2024, 1, 23),
		mk("2024-fangxian-fzzf", "房县人民政府关于2023年度法治政府建设工作报告", "房县人民政府", 2024, 3, 20),
	}
}

func reportsText(list []answer.ReportSummary, f ReportFilter, page int) string {
	html, _, _ := RenderReports(list, f, page)
	return html
}

func TestRenderReportsPages(t *testing.T) {
	var many []answer.ReportSummary
	for range 200 {
		many = append(many, fixtureReports()...)
	}
	got, shown, pages := RenderReports(many, ReportFilter{}, 500)
	if want := (len(many) + ReportsPage - 1) / ReportsPage; pages != want || shown != pages-1 {
		t.Fatalf("page 500 of %d reports: shown %d of %d pages, want the last of %d", len(many), shown, pages, want)
	}
	if err := bottest.CheckHTML(got, MaxMessageLen); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"段", "个数字"} {
		if strings.Contains(got, bad) {
			t.Errorf("reports list shows %q, which means nothing to residents:\n%s", bad, got)
		}
	}
	if !strings.Contains(got, fmt.Sprintf("第 %d/%d 页", pages, pages)) {
		t.Errorf("the page does not say which it is:\n%s", got)
	}
}

func TestRelated(t *testing.T) {
	p := func(issuer string, score float64) answer.Passage {
		return answer.Passage{Report: answer.ReportRef{Issuer: issuer}, Score: score, Excerpt: "x"}
	}
	tests := []struct {
		name string
		a    answer.Answer
		want int
	}{
		{"none", answer.Answer{}, 0},
		{"close scores, same place", answer.Answer{Answers: []answer.Passage{p("湖北省人民政府", 10), p("湖北省人民政府", 8), p("湖北省人民政府", 6)}}, 3},
		{"tail below half", answer.Answer{Answers: []answer.Passage{p("国务院", 10), p("国务院", 6), p("国务院", 4.9), p("国务院", 8)}}, 2},
		{"another place stops the list", answer.Answer{Answers: []answer.Passage{p("甘肃省人民政府", 10), p("国务院", 9.5), p("甘肃省人民政府", 9)}}, 1},
		{"comparison rows are one page", answer.Answer{Series: []answer.Point{{Year: 2024}, {Year: 2025}}, Answers: []answer.Passage{p("国务院", 1), p("国务院", 1)}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Related(&tt.a); got != tt.want {
				t.Errorf("Related = %d, want %d", got, tt.want)
			}
		})
	}
}

package answer

import (
	"strings"
	"testing"

	"github.com/govbot/govbot/index"
)

func TestFindDeixis(t *testing.T) {
	tests := []struct {
		in, level string
	}{
		{"咱们县有几个乡镇", levelCounty},
		{"民法典宣传月县里发了多少宣传资料", levelCounty},
		{"我们县去年办了多少件", levelCounty},
		{"俺们县", levelCounty},
		{"本县的学校", levelCounty},
		{"区里的停车位", levelCounty},
		{"我省今年GDP", levelProvince},
		{"咱们省里的就业目标", levelProvince},
		{"本市去年", levelCity},
		{"市里新建了几所学校", levelCity},
		{"咱们国家GDP", levelNational},
		{"我们这里的医保", levelAny},
		{"本地的养老院", levelAny},
		// Not a word for the user's place: the level word ends another word.
		{"城市里的老旧小区改造", ""},
		{"小区里加装电梯", ""},
		{"社区里有多少", ""},
		{"景区里门票", ""},
		{"全市上半年", ""},
		{"湖北去年GDP", ""},
	}
	for _, tt := range tests {
		level, rest := frames.findDeixis(tt.in)
		if level != tt.level {
			t.Errorf("findDeixis(%q) = %q, want %q", tt.in, level, tt.level)
		}
		if level == "" && rest != tt.in {
			t.Errorf("findDeixis(%q) changed the text to %q without a place word", tt.in, rest)
		}
	}
}

// TestFramesDropped checks that a question framed in courtesy, pronouns,
// particles and aspect words has the content words of the plain question.
func TestFramesDropped(t *testing.T) {
	tests := []struct{ framed, plain string }{
		{"想问一下咱们县有几个乡镇建了第一责任人清单", "有几个乡镇建了第一责任人清单"},
		{"江西今年在养老服务方面有什么打算", "江西今年养老服务"},
		{"北京今年公共交通方面有什么安排呀", "北京今年公共交通"},
		{"麻烦帮我查一下易县文旅康养去年发展得咋样", "易县文旅康养去年发展"},
		{"请问龙华区行政机关负责人出庭应诉情况怎么样", "龙华区行政机关负责人出庭应诉"},
		{"俺们那以后民法典宣传搞了啥", "民法典宣传"},
	}
	for _, tt := range tests {
		got, want := termWords(parseQuestion(tt.framed, nil).content), termWords(parseQuestion(tt.plain, nil).content)
		for w := range got {
			if !want[w] {
				t.Errorf("%q keeps %q, a word %q does not have", tt.framed, w, tt.plain)
			}
		}
	}
}

// termWords are the content words the engine would weigh in content:
// the words of its cut that can carry a topic.
func termWords(content string) map[string]bool {
	out := map[string]bool{}
	for _, w := range index.Words(content) {
		if w = strings.TrimSpace(w); w != "" && meaningful(w) {
			out[w] = true
		}
	}
	return out
}

func TestFocusQuestion(t *testing.T) {
	tests := []struct{ in, question, context string }{
		{"我在北京上班。北京今年CPI涨幅目标是多少？", "北京今年CPI涨幅目标是多少？", "我在北京上班。"},
		{"我是房县的。去年办了多少件行政复议案件？谢谢！", "去年办了多少件行政复议案件？", "我是房县的。 谢谢！"},
		{"我是一名老师。贵州2025年GDP", "贵州2025年GDP", "我是一名老师。"},
		{"2024年全国城镇新增就业多少人？", "2024年全国城镇新增就业多少人？", ""},
	}
	for _, tt := range tests {
		q, c := focusQuestion(tt.in)
		if q != tt.question || (tt.context != "" && c != tt.context) {
			t.Errorf("focusQuestion(%q) = %q, %q; want %q, %q", tt.in, q, c, tt.question, tt.context)
		}
	}
}

// TestPlaceWords checks that a word for the user's place answers from that
// place and names it on the first line, whatever else the corpus holds.
func TestPlaceWords(t *testing.T) {
	d, _ := sampleEngine(t)
	for _, q := range []string{"咱们县去年办了多少件行政复议案件啊", "县里办了多少件行政复议案子", "我们县行政复议案件一共多少件？", "本县去年行政复议多少件"} {
		a := ask(t, d, nil, q)
		if a.Figure == nil || a.Figure.Text != "45件" || !strings.Contains(a.Note, "房县") {
			t.Errorf("%q on the county report: want 45件 noted 房县, got %s", q, describe(a))
		}
	}
	w := worldEngine(t)
	// Among several counties, the one whose report speaks of the topic.
	a := ask(t, w, nil, "县里的应急广播覆盖了多少个乡镇呢")
	if a.Figure == nil || a.Figure.Text != "20个" || !strings.Contains(a.Note, "房县") {
		t.Errorf("the only county that speaks of it: want 20个 noted 房县, got %s", describe(a))
	}
	// Several speak of it: the reply asks which, and gives no figure.
	a = ask(t, w, nil, "咱们县去年一般公共预算收入是多少")
	if a.Answered || a.Figure != nil || len(a.Places) < 2 || !strings.Contains(a.Reply, "哪个地方") {
		t.Errorf("several counties speak of it: want a question back naming them, got %s places=%v", describe(a), a.Places)
	}
	// In a conversation, the place talked about.
	var s Session
	ask(t, w, &s, "易县去年接待了多少游客")
	a = ask(t, w, &s, "咱们县去年一般公共预算收入是多少")
	if a.Figure == nil || len(a.Answers) == 0 || !strings.Contains(a.Answers[0].Report.Issuer, "易县") {
		t.Errorf("after a question on 易县: want 易县's figure, got %s", describe(a))
	}
	// Never another level's figure: no city-level report is held.
	a = ask(t, w, nil, "咱们市里去年新建了多少所学校")
	for _, p := range a.Answers {
		if l := issuerLevel(p.Report.Issuer); a.Answered && l != levelCity {
			t.Errorf("a city question answered from a %s report: %s", l, describe(a))
		}
	}
}

// TestFollowUps checks that a follow-up keeps what it leaves out and
// replaces what it names: the place, the year, target or result.
func TestFollowUps(t *testing.T) {
	w := worldEngine(t)
	var s Session
	first := ask(t, w, &s, "湖北2025年地区生产总值是多少")
	if first.Figure == nil || !strings.Contains(first.Answers[0].Report.Issuer, "湖北") {
		t.Fatalf("first question: %s", describe(first))
	}
	for _, f := range []string{"那湖南呢？", "湖南呢", "那么湖南呢"} {
		var s2 Session
		ask(t, w, &s2, "湖北2025年地区生产总值是多少")
		a := ask(t, w, &s2, f)
		if a.Figure == nil || !strings.Contains(a.Answers[0].Report.Issuer, "湖南") || !strings.HasSuffix(a.Figure.Unit, "元") {
			t.Errorf("%q after 湖北's GDP: want 湖南's GDP, got %s", f, describe(a))
		}
	}
	// A new topic opened as a follow-up keeps the place.
	// (湖北's reports give only its 2025 target: the reply may say so, but
	// it is about 湖北's new jobs.)
	a := ask(t, w, &s, "那城镇新增就业呢")
	if len(a.Answers) == 0 || !strings.Contains(a.Answers[0].Report.Issuer, "湖北") || !strings.Contains(a.Answers[0].Excerpt, "新增就业") {
		t.Errorf("那城镇新增就业呢 after 湖北: want 湖北's new jobs, got %s", describe(a))
	}
	// The target of the same topic.
	var s3 Session
	ask(t, w, &s3, "安徽去年城镇新增就业多少人")
	a = ask(t, w, &s3, "那今年的目标是多少")
	if a.Figure == nil || a.Answers[0].Period != "target" || !strings.Contains(a.Answers[0].Report.Issuer, "安徽") {
		t.Errorf("那今年的目标是多少 after 安徽's jobs: want 安徽's target, got %s", describe(a))
	}
	// Not a follow-up: a whole question after another keeps nothing.
	var s4 Session
	ask(t, w, &s4, "贵州2025年GDP是多少")
	a = ask(t, w, &s4, "今年城镇新增就业目标是多少")
	if len(a.Answers) > 0 && a.Answers[0].Report.Issuer != nationalIssuer {
		t.Errorf("a question naming no place after 贵州: want the national report, got %s", describe(a))
	}
}

// TestFigureForms checks figures that are not number and unit, asked in
// several ways.
func TestFigureForms(t *testing.T) {
	d, _ := sampleEngine(t)
	tests := []struct {
		qs   []string
		want []string
	}{
		{[]string{"县里包容审慎监管执法有几张清单", "包容审慎监管执法一共几张清单啊", "涉企包容审慎执法搞了几张清单？"}, []string{"四张"}},
		{[]string{"县里行政复议改革做到了几保障", "行政复议体制改革有几保障"}, []string{"四保障"}},
		{[]string{"对执法有意见 县里能打哪个热线投诉", "投诉执法问题打哪个热线", "执法监督投诉热线是多少"}, []string{"12345"}},
	}
	for _, tt := range tests {
		for _, q := range tt.qs {
			a := ask(t, d, nil, q)
			if a.Figure == nil || !strings.Contains(strings.Join(tt.want, " "), a.Figure.Text) || a.Answers[0].Mark == [2]int{} {
				t.Errorf("%q: want %v marked in the excerpt, got %s", q, tt.want, describe(a))
			}
		}
	}
	// A counter the question units do not list, asked with 几.
	w := worldEngine(t)
	for _, q := range []string{"龙华区2019年收到了几宗行政复议申请", "龙华区2019年收到多少宗行政复议申请"} {
		if a := ask(t, w, nil, q); a.Figure == nil || a.Figure.Text != "103宗" {
			t.Errorf("%q: want 103宗, got %s", q, describe(a))
		}
	}
	// A number asked that the text does not state as that form: no figure.
	a := ask(t, d, nil, "县里行政复议案件纠错率是多少")
	if a.Answered || a.Figure != nil {
		t.Errorf("纠错率 is not stated: want no answer, got %s", describe(a))
	}
}

// TestHomophoneTypos checks that a word typed with a homophone (复义 for
// 复议) finds the word meant, and that a word the reports lack stays
// missing.
func TestHomophoneTypos(t *testing.T) {
	d, _ := sampleEngine(t)
	for _, q := range []string{"县里去年办了多少件行政复义案件", "行政复义案件一共多少件", "去年办理行政复意案件多少件"} {
		a := ask(t, d, nil, q)
		if a.Figure == nil || a.Figure.Text != "45件" {
			t.Errorf("%q: want 45件, got %s", q, describe(a))
		}
	}
	for _, q := range []string{"县里行政复议案件纠错率是多少", "房县电影票房多少"} {
		if a := ask(t, d, nil, q); a.Answered {
			t.Errorf("%q: want no answer, got %s", q, describe(a))
		}
	}
}

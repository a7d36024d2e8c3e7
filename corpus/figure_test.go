package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/internal/sharedtest"
)

func TestParseChineseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"二十", 20, true},
		{"十二", 12, true},
		{"三十五", 35, true},
		{"一千五百", 1500, true},
		{"一千五", 1500, true},
		{"两万", 20000, true},
		{"两万五", 25000, true},
		{"一百零八", 108, true},
		{"二百十七", 217, true},
		{"一万三千五百十三", 13513, true},
		{"八千一百九十九萬", 81990000, true},
		{"一亿五千万", 150000000, true},
		{"三万亿", 3e12, true},
		{"十万", 100000, true},
		{"四點二", 4.2, true},
		{"三十六点九", 36.9, true},
		{"一千零十", 1010, true},
		{"壹佰贰拾", 120, true},
		{"五", 5, true},
		{"一九五四", 0, false}, // a year written digit by digit
		{"十四五", 0, false},  // a plan name
		{"八五", 0, false},
		{"二〇二四", 0, false},
		{"万", 0, false},
		{"百", 0, false},
		{"十十", 0, false},
		{"三点", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseChineseNumber(tt.in)
			if ok != tt.ok || (ok && math.Abs(got-tt.want) > 1e-9*math.Max(1, tt.want)) {
				t.Errorf("ParseChineseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestParseArabic(t *testing.T) {
	tests := []struct {
		in     string
		want   float64
		endLen int // bytes consumed
		ok     bool
	}{
		{"45件", 45, 2, true},
		{"134.9万亿元", 134.9, 5, true},
		{"４５件", 45, 6, true},
		{"１３４．９", 134.9, 15, true},
		{"1,256个", 1256, 5, true},
		{"1，256个", 1256, 7, true},
		{"12,345,678元", 12345678, 10, true},
		{"1,2567", 1, 1, true}, // not a thousands group
		{"3,25", 3, 1, true},
		{"1.深入", 1, 1, true}, // a list marker: the point is not a decimal
		{"7 4 7 7 2 亿元", 74772, 9, true},
		{"8 ．8 ％", 8.8, 6, true},
		{"件", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, end, _, _, ok := parseArabic(tt.in, 0)
			if ok != tt.ok || (ok && (got != tt.want || end != tt.endLen)) {
				t.Errorf("parseArabic(%q) = %v, end %d, %v; want %v, end %d, %v", tt.in, got, end, ok, tt.want, tt.endLen, tt.ok)
			}
		})
	}
}

// wantFigure is an expected figure in table tests; Context is checked by containment.
type wantFigure struct {
	Text, Unit, BaseUnit, Approx, Ctx string
	Value, Max                        float64
}

func TestExtractFigures(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []wantFigure
	}{
		{"count", "今年来全县共办理行政复议案件45件,行政复议定分止争效果明显。",
			[]wantFigure{{Text: "45件", Unit: "件", BaseUnit: "件", Value: 45, Ctx: "办理行政复议案件"}}},
		{"yu suffix", "开展学法1500余次",
			[]wantFigure{{Text: "1500余次", Unit: "次", BaseUnit: "次", Value: 1500, Approx: "余", Ctx: "开展学法"}}},
		{"wan yu", "发放宣传资料2万余份",
			[]wantFigure{{Text: "2万余份", Unit: "万份", BaseUnit: "份", Value: 20000, Approx: "余", Ctx: "宣传资料"}}},
		{"trillion and inherited subject", "国内生产总值达到134.9万亿元、增长5%",
			[]wantFigure{
				{Text: "134.9万亿元", Unit: "万亿元", BaseUnit: "元", Value: 134.9e12, Ctx: "国内生产总值"},
				{Text: "5%", Unit: "%", BaseUnit: "%", Value: 5, Ctx: "国内生产总值增长"},
			}},
		{"space before magnitude", "国内生产总值达到39.8 万亿元，年均增长11.2%",
			[]wantFigure{
				{Text: "39.8 万亿元", Unit: "万亿元", BaseUnit: "元", Value: 39.8e12, Ctx: "国内生产总值"},
				{Text: "11.2%", Unit: "%", BaseUnit: "%", Value: 11.2, Ctx: "年均增长"},
			}},
		{"population is not a count of people", "13亿多人口的大国实现了比较充分就业",
			[]wantFigure{{Text: "13亿多人口", Unit: "亿人口", BaseUnit: "人口", Value: 13e8, Approx: "多"}}},
		{"people counted", "城镇新增就业1351万人",
			[]wantFigure{{Text: "1351万人", Unit: "万人", BaseUnit: "人", Value: 1351e4, Ctx: "城镇新增就业"}}},
		{"prefix approx", "外汇储备超过3.2万亿美元。",
			[]wantFigure{{Text: "3.2万亿美元", Unit: "万亿美元", BaseUnit: "美元", Value: 3.2e12, Approx: "超过", Ctx: "外汇储备"}}},
		{"jin duration", "粮食产量近3年保持稳定",
			[]wantFigure{{Text: "3年", Unit: "年", BaseUnit: "年", Value: 3, Approx: "近"}}},
		{"lianxu", "粮食总产量连续8年稳定",
			[]wantFigure{{Text: "8年", Unit: "年", BaseUnit: "年", Value: 8, Ctx: "粮食总产量"}}},
		{"jin", "粮食产量1.4万亿斤",
			[]wantFigure{{Text: "1.4万亿斤", Unit: "万亿斤", BaseUnit: "斤", Value: 1.4e12}}},
		{"noun after classifier", "全县20个乡镇、86个县直单位",
			[]wantFigure{
				{Text: "20个", Unit: "个", BaseUnit: "个", Value: 20, Ctx: "乡镇"},
				{Text: "86个", Unit: "个", BaseUnit: "个", Value: 86, Ctx: "县直单位"},
			}},
		{"noun after mixed", "建设3296个重大基础设施项目",
			[]wantFigure{{Text: "3296个", Unit: "个", BaseUnit: "个", Value: 3296, Ctx: "重大基础设施项目"}}},
		{"households", "惠及2.6万户",
			[]wantFigure{{Text: "2.6万户", Unit: "万户", BaseUnit: "户", Value: 26000}}},
		{"percent suffix approx", "增长5%左右",
			[]wantFigure{{Text: "5%", Unit: "%", BaseUnit: "%", Value: 5, Approx: "左右"}}},
		{"percent range", "增长3%—5%",
			[]wantFigure{{Text: "3%—5%", Unit: "%", BaseUnit: "%", Value: 3, Max: 5}}},
		{"bare range", "用3—5年时间",
			[]wantFigure{{Text: "3—5年", Unit: "年", BaseUnit: "年", Value: 3, Max: 5}}},
		{"magnitude range", "投资3至5万元",
			[]wantFigure{{Text: "3至5万元", Unit: "万元", BaseUnit: "元", Value: 30000, Max: 50000}}},
		{"full-width", "办理案件４５件",
			[]wantFigure{{Text: "４５件", Unit: "件", BaseUnit: "件", Value: 45}}},
		{"thousands", "粮食产量33，212万吨",
			[]wantFigure{{Text: "33，212万吨", Unit: "万吨", BaseUnit: "吨", Value: 332120000}}},
		{"chinese numerals", "建成二十个站点，招收一千五百人，援建两万套住房，三十五所学校",
			[]wantFigure{
				{Text: "二十个", Unit: "个", BaseUnit: "个", Value: 20},
				{Text: "一千五百人", Unit: "人", BaseUnit: "人", Value: 1500},
				{Text: "两万套", Unit: "万套", BaseUnit: "套", Value: 20000},
				{Text: "三十五所", Unit: "所", BaseUnit: "所", Value: 35},
			}},
		{"baifenzhi", "比重上升为百分之四十二點三",
			[]wantFigure{{Text: "百分之四十二點三", Unit: "%", BaseUnit: "%", Value: 42.3}}},
		{"traditional", "原煤八千一百九十九萬噸",
			[]wantFigure{{Text: "八千一百九十九萬噸", Unit: "万吨", BaseUnit: "吨", Value: 81990000, Ctx: "原煤"}}},
		{"percentage point", "比上年提高1个百分点",
			[]wantFigure{{Text: "1个百分点", Unit: "个百分点", BaseUnit: "百分点", Value: 1}}},
		{"bare magnitude", "6600多万纳税人受益",
			[]wantFigure{{Text: "6600多万", Unit: "万", BaseUnit: "", Value: 66000000, Approx: "多", Ctx: "纳税人"}}},
		{"yue you", "项目约有六百个",
			[]wantFigure{{Text: "六百个", Unit: "个", BaseUnit: "个", Value: 600, Approx: "约"}}},
		{"da is not approx", "受教育群众达5万余人",
			[]wantFigure{{Text: "5万余人", Unit: "万人", BaseUnit: "人", Value: 50000, Approx: "余", Ctx: "受教育群众"}}},
		{"fraction", "增长三分之一以上",
			[]wantFigure{{Text: "三分之一", Unit: "%", BaseUnit: "%", Value: 100.0 / 3, Approx: "以上"}}},
		{"medals", "勇夺4金、13金",
			[]wantFigure{{Text: "4金", Unit: "金", BaseUnit: "金", Value: 4}, {Text: "13金", Unit: "金", BaseUnit: "金", Value: 13}}},
		{"time limit", "办结时限压缩至30日内",
			[]wantFigure{{Text: "30日", Unit: "日", BaseUnit: "日", Value: 30}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ExtractFigures(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("ExtractFigures(%q) = %d figures %v; want %d", tt.in, len(got), figTexts(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Text != w.Text || g.Unit != w.Unit || g.BaseUnit != w.BaseUnit || g.Approx != w.Approx ||
					!figSameValue(g.Value, w.Value) || !figSameValue(g.Max, w.Max) {
					t.Errorf("figure %d = %+v; want %+v", i, g, w)
				}
				if !strings.Contains(g.Context, w.Ctx) {
					t.Errorf("figure %d %q: Context %q does not contain %q", i, g.Text, g.Context, w.Ctx)
				}
				if tt.in[g.Start:g.End] != g.Text {
					t.Errorf("figure %d: text[%d:%d] = %q, Text %q", i, g.Start, g.End, tt.in[g.Start:g.End], g.Text)
				}
			}
		})
	}
}

func TestExtractFiguresTraps(t *testing.T) {
	traps := []string{
		"2024年",
		"2023年度房县法治政府建设工作要点",
		"2024年3月5日在第十四届全国人民代表大会第二次会议上",
		"发文日期 2024年02月28日 16:40:00",
		"索引号 01145506X/2024-15651",
		"国办发〔2024〕5号",
		"深入学习贯彻党的二十大精神和二十届三中全会精神",
		"十九届四中全会",
		"“十四五”规划收官之年，“十五五”开局",
		"“八五”普法中期督导检查",
		"法治建设“一规划两方案”中期评估",
		"行政执法“三项制度”",
		"281个村实现“一村一法律顾问”全覆盖"[len("281个"):],
		"坚定拥护“两个确立”、增强“四个意识”",
		"构建“一体六化”行政执法监督体系",
		"联合“12345”政务服务便民热线",
		"12345热线",
		"推动5G网络和6G研发，C919投入商业运营",
		"一年来，一批重大项目落地，一些地方一线干部，全国统一大市场",
		"一是加大力度，二是深化改革",
		"首次实现",
		"1.深入学习贯彻习近平法治思想",
		"(1)强化执法",
		"第3次会议",
		"位居全国第5位",
		"第一个五年计划",
		"三年行动",
		"建军一百年奋斗目标",
		"四张清单",
		"几十个项目",
		"数十万群众",
		"1—11月",
		"2021-2025年",
		"一九五四年",
		"１９８５年",
		"80年代",
		"PM2.5浓度",
		"3、4号工位",
		"进入中国企业500强",
		"每50公斤",
		"八届十次全会",
		"1978、1979两年",
		"",
	}
	for _, s := range traps {
		t.Run(s, func(t *testing.T) {
			if got := ExtractFigures(s); len(got) != 0 {
				t.Errorf("ExtractFigures(%q) = %v; want none", s, figTexts(got))
			}
		})
	}
}

func figTexts(fs []Figure) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Text
	}
	return out
}

func figSameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// figureGoldSentence is one line of testdata/figures_gold.jsonl: a sentence copied
// from a report in ../shared/reports and the figures it states, checked by hand.
type figureGoldSentence struct {
	Src     string `json:"src"`
	Set     string `json:"set"` // "dev" or "heldout"
	Text    string `json:"text"`
	Figures []struct {
		Text   string  `json:"text"`
		Value  float64 `json:"value"`
		Unit   string  `json:"unit"`
		Approx string  `json:"approx"`
		Ctx    string  `json:"ctx"` // a word Context must contain; empty when not checked
		Max    float64 `json:"max"`
	} `json:"figures"`
}

func loadFigureGold(t *testing.T) []figureGoldSentence {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "figures_gold.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var gold []figureGoldSentence
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var g figureGoldSentence
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatalf("figures_gold.jsonl line %d: %v", len(gold)+1, err)
		}
		gold = append(gold, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return gold
}

// goldScore accumulates the comparison of extracted and gold figures.
type goldScore struct {
	sentences, extracted, expected, matched    int
	unitOK, approxOK, maxOK, ctxChecked, ctxOK int
}

func (s goldScore) precision() float64 { return float64(s.matched) / float64(max(s.extracted, 1)) }
func (s goldScore) recall() float64    { return float64(s.matched) / float64(max(s.expected, 1)) }

func (s goldScore) log(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d sentences, %d gold figures: precision %.3f (%d/%d), recall %.3f (%d/%d); "+
		"of %d matched: unit %d, approx %d, range max %d; context contains the counted words %d/%d",
		name, s.sentences, s.expected, s.precision(), s.matched, s.extracted, s.recall(), s.matched, s.expected,
		s.matched, s.unitOK, s.approxOK, s.maxOK, s.ctxOK, s.ctxChecked)
}

// scoreGold compares ExtractFigures(g.Text) with g.Figures, logging every
// difference. An extracted figure matches a gold one when Text and Value agree.
func scoreGold(t *testing.T, g figureGoldSentence, s *goldScore) {
	t.Helper()
	got := ExtractFigures(g.Text)
	s.sentences++
	s.extracted += len(got)
	s.expected += len(g.Figures)
	used := make([]bool, len(got))
	for _, w := range g.Figures {
		k := -1
		for i, f := range got {
			if !used[i] && f.Text == w.Text && figSameValue(f.Value, w.Value) {
				k = i
				break
			}
		}
		if k < 0 {
			t.Logf("[%s] missed %q in %s: %q (got %v)", g.Set, w.Text, g.Src, g.Text, figTexts(got))
			continue
		}
		used[k] = true
		s.matched++
		f := got[k]
		if f.Unit == w.Unit {
			s.unitOK++
		} else {
			t.Logf("[%s] unit of %q = %q, want %q", g.Set, w.Text, f.Unit, w.Unit)
		}
		if f.Approx == w.Approx {
			s.approxOK++
		} else {
			t.Logf("[%s] approx of %q = %q, want %q", g.Set, w.Text, f.Approx, w.Approx)
		}
		if figSameValue(f.Max, w.Max) {
			s.maxOK++
		} else {
			t.Logf("[%s] max of %q = %v, want %v", g.Set, w.Text, f.Max, w.Max)
		}
		if w.Ctx != "" {
			s.ctxChecked++
			if strings.Contains(f.Context, w.Ctx) {
				s.ctxOK++
			} else {
				t.Logf("[%s] context of %q = %q, want it to contain %q", g.Set, w.Text, f.Context, w.Ctx)
			}
		}
	}
	for i, f := range got {
		if !used[i] {
			t.Logf("[%s] spurious %q in %s: %q", g.Set, f.Text, g.Src, g.Text)
		}
	}
}

// TestFigureGold measures ExtractFigures on the hand-checked gold set. The
// "dev" sentences were chosen while the extractor was written; the "heldout"
// ones were drawn at random from ten other reports and annotated before the
// extractor was run on them, so they estimate quality on unseen text.
func TestFigureGold(t *testing.T) {
	gold := loadFigureGold(t)
	var all goldScore
	sets := map[string]*goldScore{}
	sources := map[string]bool{}
	for _, g := range gold {
		sources[g.Src] = true
		if sets[g.Set] == nil {
			sets[g.Set] = &goldScore{}
		}
		before := *sets[g.Set]
		scoreGold(t, g, sets[g.Set])
		after := *sets[g.Set]
		all.sentences++
		all.extracted += after.extracted - before.extracted
		all.expected += after.expected - before.expected
		all.matched += after.matched - before.matched
		all.unitOK += after.unitOK - before.unitOK
		all.approxOK += after.approxOK - before.approxOK
		all.maxOK += after.maxOK - before.maxOK
		all.ctxChecked += after.ctxChecked - before.ctxChecked
		all.ctxOK += after.ctxOK - before.ctxOK
	}
	for _, name := range []string{"dev", "heldout", "heldout2"} {
		if s := sets[name]; s != nil {
			s.log(t, name)
		}
	}
	all.log(t, fmt.Sprintf("all (%d reports)", len(sources)))
	if all.expected < 150 || len(sources) < 8 {
		t.Errorf("gold set too small: %d figures from %d reports (want ≥150 from ≥8)", all.expected, len(sources))
	}
	if all.precision() < 0.95 || all.recall() < 0.95 {
		t.Errorf("precision %.3f, recall %.3f; want both ≥ 0.95", all.precision(), all.recall())
	}
	if float64(all.ctxOK) < 0.9*float64(all.ctxChecked) {
		t.Errorf("context correct for %d/%d figures; want ≥ 90%%", all.ctxOK, all.ctxChecked)
	}
}

// TestFigureGoldSources checks that every gold sentence is still verbatim
// in its report, so the gold set stays tied to the real data.
func TestFigureGoldSources(t *testing.T) {
	dir := sharedtest.Reports(t)
	reportTexts := map[string]string{}
	for _, g := range loadFigureGold(t) {
		if _, ok := reportTexts[g.Src]; !ok {
			b, err := os.ReadFile(filepath.Join(dir, g.Src))
			if err != nil {
				t.Fatal(err)
			}
			reportTexts[g.Src] = string(b)
		}
		if !strings.Contains(reportTexts[g.Src], g.Text) {
			t.Errorf("%s does not contain gold sentence %q", g.Src, g.Text)
		}
	}
}

// checkFigures verifies the offset invariants of ExtractFigures' result.
func checkFigureOffsets(t *testing.T, text string, figs []Figure) {
	t.Helper()
	prevEnd := 0
	for i, f := range figs {
		if f.Start < prevEnd || f.End <= f.Start || f.End > len(text) {
			t.Fatalf("figure %d %q: bad offsets [%d,%d) after %d in %q", i, f.Text, f.Start, f.End, prevEnd, text)
		}
		if text[f.Start:f.End] != f.Text {
			t.Fatalf("figure %d: text[%d:%d] = %q, Text %q", i, f.Start, f.End, text[f.Start:f.End], f.Text)
		}
		if !utf8.ValidString(f.Context) && utf8.ValidString(text) {
			t.Fatalf("figure %d %q: invalid UTF-8 context %q", i, f.Text, f.Context)
		}
		if math.IsNaN(f.Value) || math.IsInf(f.Value, 0) {
			t.Fatalf("figure %d %q: value %v", i, f.Text, f.Value)
		}
		prevEnd = f.End
	}
}

// TestFigureSharedReports runs the extractor over every line of the 117
// shared reports: offsets must hold everywhere, and the embedded sample must
// yield the statistics the bot is asked about.
func TestFigureSharedReports(t *testing.T) {
	dir := sharedtest.Reports(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	total, noCtx := 0, 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			figs := ExtractFigures(line)
			checkFigureOffsets(t, line, figs)
			total += len(figs)
			for _, f := range figs {
				if f.Context == "" {
					noCtx++
				}
			}
		}
	}
	t.Logf("%d reports: %d figures, %d (%.1f%%) without context", len(files), total, noCtx, 100*float64(noCtx)/float64(max(total, 1)))
	if total == 0 || float64(noCtx) > 0.05*float64(total) {
		t.Errorf("%d figures, %d without context", total, noCtx)
	}
}

func TestFigureSample(t *testing.T) {
	found := false
	for _, line := range strings.Split(string(sample.Fangxian), "\n") {
		for _, f := range ExtractFigures(line) {
			if f.Text == "45件" && strings.Contains(f.Context, "行政复议案件") {
				found = true
			}
		}
	}
	if !found {
		t.Error("sample report: no figure 45件 with context 行政复议案件")
	}
}

func FuzzExtractFigures(f *testing.F) {
	seeds := []string{
		"今年来全县共办理行政复议案件45件",
		"国内生产总值达到134.9万亿元、增长5%",
		"1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元，平均每年增长1 1 ％。",
		"百分之四十二點三，八千一百九十九萬噸",
		"增长3%—5%，用3—5年，2021-2025年",
		"粮食产量33，212万吨，1,256个",
		"约有六百个，6600多万纳税人，4万多亿元",
		"16:40:00 〔2024〕5号 C919 5G PM2.5",
		"\xff\xfe1\xe4\xb8件",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFigureOffsets(t, s, ExtractFigures(s))
	})
}

func BenchmarkExtractFigures(b *testing.B) {
	dir := sharedtest.Reports(b)
	data, err := os.ReadFile(filepath.Join(dir, "2025-guangdong-gwr.txt"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for _, line := range lines {
			ExtractFigures(line)
		}
	}
}

package corpus

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/govbot/govbot/corpus/sample"
	"golang.org/x/text/encoding/simplifiedchinese"
	unicode16 "golang.org/x/text/encoding/unicode"
)

// stripSpace removes every space rune.
func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// reportText rebuilds the body text from a report: the header lines, then
// the headings that stand on their own lines and the paragraphs in line
// order. Inline headings are skipped since their paragraph repeats them.
func reportText(r *Report) string {
	type unit struct {
		line int
		text string
	}
	var units []unit
	for _, h := range r.Headings {
		if !h.Inline {
			units = append(units, unit{h.Line, h.Text})
		}
	}
	for _, p := range r.Paragraphs {
		units = append(units, unit{p.Line, p.Text})
	}
	sort.SliceStable(units, func(i, j int) bool { return units[i].line < units[j].line })
	var b strings.Builder
	for _, h := range r.Header {
		b.WriteString(h + "\n")
	}
	for _, u := range units {
		b.WriteString(u.text + "\n")
	}
	return b.String()
}

// checkConservation verifies that no text was lost or duplicated: the
// rebuilt text equals the body, spaces aside.
func checkConservation(t testing.TB, r *Report, body string) {
	t.Helper()
	got, want := stripSpace(reportText(r)), stripSpace(lostChars.ReplaceAllString(body, " "))
	for _, c := range r.Chrome {
		want = strings.Replace(want, stripSpace(c), "", 1)
	}
	if got != want {
		g, w := []rune(got), []rune(want)
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Errorf("%s: text not conserved: first difference at rune %d: got %q, want %q",
			r.ID, i, string(g[i:min(len(g), i+30)]), string(w[i:min(len(w), i+30)]))
	}
}

// checkStructure verifies the invariants every parsed report keeps.
func checkStructure(t testing.TB, r *Report) {
	t.Helper()
	if len(r.Paragraphs) == 0 {
		t.Errorf("%s: no paragraphs", r.ID)
	}
	for i, p := range r.Paragraphs {
		if p.Seq != i+1 || p.ID != r.ID+"#p"+strconv.Itoa(i+1) {
			t.Errorf("%s: paragraph %d has Seq %d ID %q", r.ID, i+1, p.Seq, p.ID)
		}
		if strings.TrimSpace(p.Text) != p.Text || p.Text == "" {
			t.Errorf("%s: paragraph %d text not trimmed: %q", r.ID, i+1, p.Text)
		}
		for j, h := range p.Path {
			if h.Level != j+1 {
				t.Errorf("%s: paragraph %d path[%d] %q has level %d", r.ID, i+1, j, h.Text, h.Level)
			}
			if h.Inline && j == len(p.Path)-1 && h.Line == p.Line && !strings.HasPrefix(p.Text, h.Text) {
				t.Errorf("%s: paragraph %d does not start with its inline heading %q", r.ID, i+1, h.Text)
			}
		}
		if i > 0 && p.Line <= r.Paragraphs[i-1].Line {
			t.Errorf("%s: paragraph %d line %d not after %d", r.ID, i+1, p.Line, r.Paragraphs[i-1].Line)
		}
	}
	for _, h := range r.Headings {
		if h.Level < 1 || h.Text == "" {
			t.Errorf("%s: bad heading %+v", r.ID, h)
		}
	}
}

// levelCounts counts headings per level: [level 1, level 2, ...].
func levelCounts(r *Report) []int {
	var out []int
	for _, h := range r.Headings {
		for len(out) < h.Level {
			out = append(out, 0)
		}
		out[h.Level-1]++
	}
	return out
}

// findParagraph returns the first paragraph containing s.
func findParagraph(t testing.TB, r *Report, s string) *Paragraph {
	t.Helper()
	for i := range r.Paragraphs {
		if strings.Contains(r.Paragraphs[i].Text, s) {
			return &r.Paragraphs[i]
		}
	}
	t.Fatalf("%s: no paragraph contains %q", r.ID, s)
	return nil
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestParseSample(t *testing.T) {
	r, err := Parse(sample.FileName, sample.Fangxian, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	checkStructure(t, r)
	checkConservation(t, r, string(sample.Fangxian))
	want := Report{Meta: Meta{
		ID:          "2024-fangxian-fzzf",
		Title:       "房县人民政府关于2023年度法治政府建设工作报告",
		Issuer:      "房县人民政府",
		Published:   date(2024, 2, 28),
		Year:        2024,
		IndexNumber: "01145506X/2024-15651",
		Topic:       "政务公开",
	}}
	got := *r
	got.Header, got.Headings, got.Paragraphs = nil, nil, nil
	if !equalMeta(got, want) {
		t.Errorf("metadata:\n got %+v\nwant %+v", got, want)
	}
	// 文号 is followed directly by the body: empty, and the body is not eaten.
	if r.DocNumber != "" || r.Header[len(r.Header)-1] != "文号" {
		t.Errorf("DocNumber %q, header %q", r.DocNumber, r.Header)
	}
	// 96 lines, 43 blank; 10 header lines; 3 一、 + 8 (一) standalone
	// headings; 22 "1." headings are inline, so 53-10-11 = 32 paragraphs.
	if len(r.Paragraphs) != 32 {
		t.Errorf("%d paragraphs, want 32", len(r.Paragraphs))
	}
	if got := levelCounts(r); !slices.Equal(got, []int{3, 8, 22}) {
		t.Errorf("headings per level %v, want [3 8 22]", got)
	}
	p := findParagraph(t, r, "今年来全县共办理行政复议案件45件")
	wantPath := []string{"一、主要工作和成效", "(五)聚焦依法治理,行政复议应诉工作扎实推进", "1.高效完成行政复议体制改革"}
	if got := p.SectionPath(); !slices.Equal(got, wantPath) {
		t.Errorf("path %q, want %q", got, wantPath)
	}
	if p.ID != "2024-fangxian-fzzf#p16" || p.Line != 55 || !strings.HasPrefix(p.Text, "1.高效完成行政复议体制改革。成立房县") {
		t.Errorf("paragraph %s line %d text %.40q", p.ID, p.Line, p.Text)
	}
	if h := p.Path[2]; h.Marker != "1." || h.Level != 3 || !h.Inline {
		t.Errorf("heading %+v", h)
	}
	// The paragraph under a heading with no numbered items, and the last one.
	p = findParagraph(t, r, "认真落实“谁执法谁普法”普法责任制")
	if got := p.SectionPath(); !slices.Equal(got, []string{"一、主要工作和成效", "(八)聚焦法治宣传,普法依法治理不断深化"}) {
		t.Errorf("path %q", got)
	}
	if last := r.Paragraphs[len(r.Paragraphs)-1]; last.Text != "2024年2月28日" || last.SectionPath()[0] != "三、下一步工作打算" {
		t.Errorf("last paragraph %q under %q", last.Text, last.SectionPath())
	}
	// The body's first paragraph precedes every heading.
	if p := r.Paragraphs[0]; len(p.Path) != 0 || !strings.HasPrefix(p.Text, "2023年,在市委") {
		t.Errorf("first paragraph %.30q path %q", p.Text, p.SectionPath())
	}
}

// equalMeta compares the metadata fields of two reports.
func equalMeta(a, b Report) bool {
	return a.ID == b.ID && a.Title == b.Title && a.Issuer == b.Issuer && a.Speaker == b.Speaker &&
		a.Published.Equal(b.Published) && a.Year == b.Year && a.DocNumber == b.DocNumber &&
		a.IndexNumber == b.IndexNumber && a.Topic == b.Topic && a.URL == b.URL && a.Source == b.Source
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"spaces", " \n\t\r\n　\n", ErrEmpty},
		{"binary NUL", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ErrNotText},
		{"control bytes", "abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f", ErrNotText},
		{"undecodable", "\x80\xff\x80\xff\x80\xff\x80\xff", ErrNotText},
		{"title only", "2025年湖北省政府工作报告\n", ErrNoParagraphs},
		{"header only", "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李　强\n", ErrNoParagraphs},
		{"front matter only", "---\ntitle: x\n---\n\n", ErrNoParagraphs},
		{"unclosed front matter", "---\ntitle: x\n各位代表：\n", ErrFrontMatter},
		{"unknown key", "---\ntitel: x\n---\n各位代表：\n", ErrFrontMatter},
		{"bad date", "---\ndate: 2024-13-01\n---\n各位代表：\n", ErrFrontMatter},
		{"bad year", "---\nyear: twenty\n---\n各位代表：\n", ErrFrontMatter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("x.txt", []byte(tt.data), Meta{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse = %v, %v; want error %v", r, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "parse x.txt: ") {
				t.Errorf("error %q lacks the file name", err)
			}
		})
	}
}

func TestParseEncodings(t *testing.T) {
	want, err := Parse(sample.FileName, sample.Fangxian, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(sample.Fangxian)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode16.UTF16(unicode16.LittleEndian, unicode16.UseBOM).NewEncoder().Bytes(sample.Fangxian)
	if err != nil {
		t.Fatal(err)
	}
	crlf := bytes.ReplaceAll(sample.Fangxian, []byte("\n"), []byte("\r\n"))
	bom := append([]byte("\xEF\xBB\xBF"), sample.Fangxian...)
	for name, data := range map[string][]byte{"gb18030": gb, "utf-16le": u16, "crlf": crlf, "utf-8 bom": bom} {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(data, sample.Fangxian) {
				t.Fatal("encoding did not change the bytes")
			}
			got, err := Parse(sample.FileName, data, Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s parses differently from UTF-8", name)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	const text = "---\n" +
		"# metadata the text lacks\n" +
		"title: 2025年中华人民共和国国务院政府工作报告\n" +
		"Issuer：国务院\n" +
		"date: \"2025-03-05\"\n" +
		"url: https://www.gov.cn/gongbao/2025/issue_11946/\n" +
		"文号: 国发〔2025〕1号\n" +
		"index_number: 000014349/2025-00011\n" +
		"topic: 政府工作报告\n" +
		"speaker: 国务院总理 李强\n" +
		"id: gwr-2025\n" +
		"---\n" +
		"各位代表：\n\n" +
		"一、2024年工作回顾\n\n" +
		"国内生产总值达到134.9万亿元、增长5%。\n"
	r, err := Parse("x.txt", []byte(text), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	want := Report{Meta: Meta{ID: "gwr-2025", Title: "2025年中华人民共和国国务院政府工作报告", Issuer: "国务院",
		Speaker: "国务院总理 李强", Published: date(2025, 3, 5), Year: 2025, DocNumber: "国发〔2025〕1号",
		IndexNumber: "000014349/2025-00011", Topic: "政府工作报告", URL: "https://www.gov.cn/gongbao/2025/issue_11946/"}}
	if !equalMeta(*r, want) {
		t.Errorf("got  %+v\nwant %+v", *r, want)
	}
	if len(r.Paragraphs) != 2 || r.Paragraphs[1].ID != "gwr-2025#p2" || r.Paragraphs[1].Line != 17 ||
		!slices.Equal(r.Paragraphs[1].SectionPath(), []string{"一、2024年工作回顾"}) {
		t.Errorf("paragraphs %+v", r.Paragraphs)
	}
	if len(r.Header) != 0 {
		t.Errorf("front matter leaked into the header: %q", r.Header)
	}

	// Meta overrides the front matter, which overrides the text.
	const text2 = "---\nissuer: 某某\nyear: 2023\n---\n2025年湖北省政府工作报告\n\n各位代表：\n"
	r, err = Parse("2025-hubei.txt", []byte(text2), Meta{Issuer: "湖北省人民政府", Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "2025-hubei" || r.Title != "2025年湖北省政府工作报告" || r.Issuer != "湖北省人民政府" || r.Year != 2023 || r.Source != "test" {
		t.Errorf("got %+v", r)
	}
}

func TestParseHeaders(t *testing.T) {
	tests := []struct {
		name, text, topic                  string
		title, issuer, speaker, doc, index string
		published                          time.Time
		year, header                       int
	}{
		{name: "national dash and full-width spaces",
			text:  "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李　强\n\n各位代表：\n",
			title: "2024年中华人民共和国国务院政府工作报告", issuer: "国务院", speaker: "国务院总理 李强", published: date(2024, 3, 5), year: 2024, header: 3},
		{name: "speaker in the speech line",
			text:  "2025年湖北省政府工作报告\n2025年1月16日在湖北省第十四届人民代表大会第三次会议上湖北省人民政府代省长李殿勋作政府工作报告。\n各位代表：\n",
			title: "2025年湖北省政府工作报告", issuer: "湖北省人民政府", speaker: "湖北省人民政府代省长 李殿勋", published: date(2025, 1, 16), year: 2025, header: 2},
		{name: "speaker before the venue",
			text:  "2025年内蒙古自治区政府工作报告\n——2025年1月14日自治区人民政府主席王莉霞在内蒙古自治区第十四届人民代表大会第三次会议上的讲话\n各位代表：\n",
			title: "2025年内蒙古自治区政府工作报告", issuer: "内蒙古自治区人民政府", speaker: "自治区人民政府主席 王莉霞", published: date(2025, 1, 14), year: 2025, header: 2},
		{name: "full-width digits and subtitle",
			text:  "1989年政府工作报告\n坚决贯彻治理整顿和深化改革的方针\n——１９８９年３月２０日在第七届全国人民代表大会第二次会议上\n国务院总理李鹏\n各位代表：\n",
			title: "1989年中华人民共和国国务院政府工作报告", issuer: "国务院", speaker: "国务院总理 李鹏", published: date(1989, 3, 20), year: 1989, header: 4},
		{name: "chinese numeral date",
			text:  "2026年甘肃省政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n甘肃省省长 任振鹤\n各位代表：\n",
			title: "2026年甘肃省政府工作报告", issuer: "甘肃省人民政府", speaker: "甘肃省省长 任振鹤", published: date(2026, 1, 27), year: 2026, header: 3},
		{name: "parenthesised venue, note line",
			text:  "政府工作报告\n（2026年1月27日在贵州省第十四届人民代表大会第四次会议上）\n省长 李炳军\n（根据直播整理）\n各位代表：\n",
			title: "2026年贵州省政府工作报告", issuer: "贵州省人民政府", speaker: "省长 李炳军", published: date(2026, 1, 27), year: 2026, header: 4},
		{name: "title only gives year and issuer",
			text:  "陕西省2026年政府工作报告\n各位代表：\n",
			title: "陕西省2026年政府工作报告", issuer: "陕西省人民政府", year: 2026, header: 1},
		{name: "no title",
			text:   "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n",
			issuer: "国务院", header: 0},
		{name: "disclosure header with colons and a doc number",
			text:  "某县人民政府关于2024年度法治政府建设工作报告\n索引号：0114/2025-1\n主题分类: 政务公开\n发文日期：2025年3月1日\n发布机构：某县人民政府\n文号\n某政发〔2025〕3号\n\n2024年，我县…。\n",
			title: "某县人民政府关于2024年度法治政府建设工作报告", issuer: "某县人民政府", doc: "某政发〔2025〕3号", index: "0114/2025-1", topic: "政务公开",
			published: date(2025, 3, 1), year: 2025, header: 7},
		{name: "empty doc number before body without blank line",
			text:  "房县人民政府关于2023年度法治政府建设工作报告\n文号\n2023年,在市委、市政府坚强领导下,房县坚持以习近平新时代中国特色社会主义思想为指导。\n",
			title: "房县人民政府关于2023年度法治政府建设工作报告", issuer: "房县人民政府", header: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("x.txt", []byte(tt.text), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			want := Report{Meta: Meta{ID: "x", Title: tt.title, Issuer: tt.issuer, Speaker: tt.speaker, DocNumber: tt.doc,
				IndexNumber: tt.index, Topic: tt.topic, Published: tt.published, Year: tt.year}}
			if !equalMeta(*r, want) {
				t.Errorf("got  %+v\nwant %+v", *r, want)
			}
			if len(r.Header) != tt.header {
				t.Errorf("header %q, want %d lines", r.Header, tt.header)
			}
			checkConservation(t, r, tt.text)
		})
	}
}

func TestParseHeadings(t *testing.T) {
	type para struct {
		prefix string
		path   []string
	}
	tests := []struct {
		name  string
		text  string
		paras []para
	}{
		{name: "skipped level: （一） is level 1",
			text:  "各位代表：\n（一）稳增长\n经济增长5%。\n（二）惠民生\n1.就业。新增就业50万人。\n",
			paras: []para{{"各位代表", nil}, {"经济增长", []string{"（一）稳增长"}}, {"1.就业。", []string{"（二）惠民生", "1.就业"}}}},
		{name: "full-width digits and punctuation",
			text: "一、工作回顾\n１．粮食生产。产量1.4万亿斤。\n（１）小麦增产\n小麦增产3%。\n(2)玉米稳产\n玉米持平。\n２、棉花\n棉花减产。\n",
			paras: []para{
				{"１．粮食生产。", []string{"一、工作回顾", "１．粮食生产"}},
				{"小麦增产3%", []string{"一、工作回顾", "１．粮食生产", "（１）小麦增产"}},
				{"玉米持平", []string{"一、工作回顾", "１．粮食生产", "(2)玉米稳产"}},
				{"棉花减产", []string{"一、工作回顾", "２、棉花"}}}},
		{name: "false headings",
			text: "一、回顾\n1.4万亿斤粮食入库。\n2024年经济增长5%。\n报告分六个部分：一、回顾；二、任务。\n1、2月份出口增长。\n十分重要。\n",
			paras: []para{{"1.4万亿斤", []string{"一、回顾"}}, {"2024年", []string{"一、回顾"}}, {"报告分六个部分", []string{"一、回顾"}},
				{"1、2月份", []string{"一、回顾"}}, {"十分重要", []string{"一、回顾"}}}},
		// A numbered line too long to be a heading is a list item: it is a
		// paragraph, and it ends its numbered sibling.
		{name: "long standalone line is not a heading",
			text:  "一、回顾\n正文一。\n二、这一行没有句号但是很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长\n正文二。\n",
			paras: []para{{"正文一", []string{"一、回顾"}}, {"二、这一行", nil}, {"正文二", nil}}},
		{name: "nested list restarting at one is not a heading",
			text:  "一、总体要求\n二、主要任务\n国务院作出了以下规定：\n一、固定资产投资总规模，包括国家预算内的拨款、自筹资金和银行贷款，都必须由国家计委统一平衡。\n二、大中型项目由国家计委审批。\n三、体制改革\n正文。\n",
			paras: []para{{"一、固定资产", []string{"二、主要任务"}}, {"二、大中型", []string{"二、主要任务"}}, {"正文", []string{"三、体制改革"}}}},
		{name: "long list items end their siblings",
			text:  "名词解释\n1.“两重”：国家重大战略实施和重点领域安全能力建设。\n2.“两新”是指大规模设备更新和消费品以旧换新，这是一个很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的句子。\n",
			paras: []para{{"1.“两重”", []string{"名词解释", "1.“两重”"}}, {"2.“两新”", []string{"名词解释"}}}},
		{name: "chapters and sections",
			text:  "第一章 总则\n第一节 目标\n正文一。\n第二节 任务\n一、重点\n正文二。\n第二章 附则\n正文三。\n",
			paras: []para{{"正文一", []string{"第一章 总则", "第一节 目标"}}, {"正文二", []string{"第一章 总则", "第二节 任务", "一、重点"}}, {"正文三", []string{"第二章 附则"}}}},
		{name: "split lines are joined",
			text: "一、回顾\n（\n一）改革开放持续深化。正文。\n主要是\n，加快推进改革。\n二、关于《\n纲要（草案）\n》的说明\n正文。\n",
			paras: []para{{"（一）改革开放持续深化。正文。", []string{"一、回顾", "（一）改革开放持续深化"}},
				{"主要是，加快推进改革。", []string{"一、回顾", "（一）改革开放持续深化"}},
				{"正文。", []string{"二、关于《纲要（草案）》的说明"}}}},
		{name: "unnumbered part titles before a restart",
			text: "各位代表：\n2024年工作回顾\n（一）经济。增长5%。\n（二）民生。就业稳定。\n2025年工作安排\n（一）扩内需。促消费。\n结束语\n让我们团结奋斗。\n",
			paras: []para{{"（二）民生", []string{"2024年工作回顾", "（二）民生"}}, {"（一）扩内需", []string{"2025年工作安排", "（一）扩内需"}},
				{"让我们", []string{"结束语"}}}},
		{name: "fragment inside a section is not a part title",
			text:  "一、回顾\n经济增长\n二、任务\n正文。\n",
			paras: []para{{"经济增长", []string{"一、回顾"}}, {"正文", []string{"二、任务"}}}},
		{name: "一是 and 第一， only as short lines of their own",
			text: "三、任务\n一是扩大内需，着力提消费\n正文一。\n一是持续深化改革。正文二。\n第一，全国动员，大办农业\n农业是基础。\n",
			paras: []para{{"正文一", []string{"三、任务", "一是扩大内需，着力提消费"}}, {"一是持续", []string{"三、任务", "一是扩大内需，着力提消费"}},
				{"农业是基础", []string{"三、任务", "一是扩大内需，着力提消费", "第一，全国动员，大办农业"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("x.txt", []byte(tt.text), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			checkStructure(t, r)
			checkConservation(t, r, tt.text)
			for _, p := range tt.paras {
				var found *Paragraph
				for i := range r.Paragraphs {
					if strings.HasPrefix(r.Paragraphs[i].Text, p.prefix) {
						found = &r.Paragraphs[i]
						break
					}
				}
				if found == nil {
					t.Errorf("no paragraph starts with %q; paragraphs: %q", p.prefix, texts(r))
					continue
				}
				if got := found.SectionPath(); !slices.Equal(got, p.path) {
					t.Errorf("path of %q = %q, want %q", p.prefix, got, p.path)
				}
			}
		})
	}
}

func texts(r *Report) []string {
	var out []string
	for _, p := range r.Paragraphs {
		out = append(out, p.Text)
	}
	return out
}

func TestFigureHook(t *testing.T) {
	old := figureExtractor
	defer func() { figureExtractor = old }()
	figureExtractor = func(s string) []Figure {
		if i := strings.Index(s, "45件"); i >= 0 {
			return []Figure{{Text: "45件", Start: i, End: i + len("45件")}}
		}
		return nil
	}
	r, err := Parse(sample.FileName, sample.Fangxian, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range r.Paragraphs {
		for _, f := range p.Figures {
			if p.Text[f.Start:f.End] != "45件" {
				t.Errorf("figure %+v does not match its paragraph", f)
			}
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d figures, want 1", n)
	}
}

func TestMetaOverride(t *testing.T) {
	day := time.Date(2025, 1, 16, 0, 0, 0, 0, time.UTC)
	base := Meta{ID: "a", Title: "旧标题", Issuer: "湖北省人民政府", IndexNumber: "011/2025-1", Source: "manifest", Published: day, Year: 2025}
	tests := []struct {
		name string
		over Meta
		want Meta
	}{
		{"empty over keeps everything", Meta{}, base},
		{"non-empty fields win", Meta{Title: "新标题", URL: "https://example.org/x"},
			Meta{ID: "a", Title: "新标题", Issuer: "湖北省人民政府", IndexNumber: "011/2025-1", URL: "https://example.org/x", Source: "manifest", Published: day, Year: 2025}},
		{"a date brings its year", Meta{Published: day.AddDate(1, 0, 0), Year: 2026},
			Meta{ID: "a", Title: "旧标题", Issuer: "湖北省人民政府", IndexNumber: "011/2025-1", Source: "manifest", Published: day.AddDate(1, 0, 0), Year: 2026}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := base.Override(tt.over); got != tt.want {
				t.Errorf("Override = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

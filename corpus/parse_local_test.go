package corpus

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/internal/sharedtest"
)

// TestParseLocalReports parses each city, county and district report of
// ../shared/reports-local from its text alone (no manifest) and checks the
// title, issuer and, where the text states it, the date against the
// manifest beside them; and that the page chrome of the scraped ones is
// left out of the paragraphs.
func TestParseLocalReports(t *testing.T) {
	dir := sharedtest.LocalReports(t)
	manifest, err := LoadManifest(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		// published is the date the text states (the manifest has it only
		// for some); zero when the text states none.
		published time.Time
		speaker   string
		chrome    int // lines of page chrome left out
	}{
		{file: "2025-shenzhen-gwr.txt", chrome: 1},
		{file: "2024-shenzhen-gwr.txt"},
		{file: "2025-luohu-gwr.txt"},
		{file: "2025-yixian-gwr.txt", published: date(2025, 1, 14), speaker: "易县人民政府代县长 丁磊", chrome: 111},
		{file: "2025-laiyuan-gwr.txt", published: date(2025, 1, 14), speaker: "涞源县人民政府代县长 薛春雷", chrome: 111},
		{file: "2019-longhua-fzzf.txt", published: date(2019, 12, 18)},
	}
	if len(tests) != len(manifest) {
		t.Errorf("%d reports tested, %d in the manifest", len(tests), len(manifest))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			want, ok := manifest[tt.file]
			if !ok {
				t.Fatalf("%s not in the manifest", tt.file)
			}
			r, err := ParseFile(filepath.Join(dir, tt.file), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			checkStructure(t, r)
			if r.Title != want.Title || r.Issuer != want.Issuer || r.Year != want.Year {
				t.Errorf("title %q issuer %q year %d, want %q %q %d", r.Title, r.Issuer, r.Year, want.Title, want.Issuer, want.Year)
			}
			if !want.Published.IsZero() && !want.Published.Equal(tt.published) {
				t.Errorf("test table date %v disagrees with the manifest's %v", tt.published, want.Published)
			}
			if !r.Published.Equal(tt.published) {
				t.Errorf("published %v, want %v", r.Published, tt.published)
			}
			if r.Speaker != tt.speaker {
				t.Errorf("speaker %q, want %q", r.Speaker, tt.speaker)
			}
			if len(r.Chrome) != tt.chrome {
				t.Errorf("%d chrome lines, want %d: %q", len(r.Chrome), tt.chrome, r.Chrome)
			}
			for _, p := range r.Paragraphs {
				if strings.Contains(p.Text, "??") || isSiteLine(p.Text) || tailMarkers.MatchString(p.Text) {
					t.Errorf("chrome in paragraph %d: %q", p.Seq, p.Text)
				}
				for _, h := range p.Path {
					if strings.Contains(h.Text, "县长") || strings.Contains(h.Text, "区长") || strings.Contains(h.Text, "市长") {
						t.Errorf("speaker line as heading of paragraph %d: %q", p.Seq, h.Text)
					}
				}
			}
			if slices.ContainsFunc(r.Paragraphs, func(p Paragraph) bool { return isOtherReportLink(p.Text) }) {
				t.Errorf("another report's link left in the paragraphs")
			}
		})
	}
}

// TestParseTextMeta reads the metadata of city, county and district
// reports from varied headers as sites and scrapers give them.
func TestParseTextMeta(t *testing.T) {
	body := "一、2023年工作回顾\n全市地区生产总值增长5.2%。\n二、2024年工作安排\n今年主要预期目标是：地区生产总值增长5%左右。\n"
	tests := []struct {
		name, text                  string
		title, issuer, speaker, url string
		published                   time.Time
		year, chrome                int
	}{
		{name: "labelled header",
			text:  "标题：2024年广州市政府工作报告\n发文单位：广州市人民政府\n发文时间：2024-01-20\n来源URL：https://www.gz.gov.cn/zwgk/gzbg/content/post_1.html\n\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n" + body,
			title: "2024年广州市政府工作报告", issuer: "广州市人民政府", url: "https://www.gz.gov.cn/zwgk/gzbg/content/post_1.html", published: date(2024, 1, 20), year: 2024},
		{name: "county congress named by level only, speaker names the county",
			text:  "政府工作报告\n——2024年1月9日在县十七届人民代表大会第四次会议上\n竹山县人民政府县长 张 明\n各位代表：\n现在，我代表县人民政府向大会报告工作。\n" + body,
			title: "2024年竹山县政府工作报告", issuer: "竹山县人民政府", speaker: "竹山县人民政府县长 张明", published: date(2024, 1, 9), year: 2024},
		{name: "date line without the dash, city speaker",
			text:  "2025年1月8日在广州市第十六届人民代表大会第五次会议上\n广州市市长 孙志洋\n各位代表：\n" + body,
			title: "2025年广州市政府工作报告", issuer: "广州市人民政府", speaker: "广州市市长 孙志洋", published: date(2025, 1, 8), year: 2025},
		{name: "date and venue on two lines, district 区长",
			text:  "政府工作报告\n2024年1月10日\n在龙岗区第七届人民代表大会第四次会议上\n代区长 王 强\n各位代表：\n" + body,
			title: "2024年龙岗区政府工作报告", issuer: "龙岗区人民政府", speaker: "代区长 王强", published: date(2024, 1, 10), year: 2024},
		{name: "venue line without a date",
			text:  "2025年政府工作报告\n（在深圳市罗湖区第八届人民代表大会第六次会议上）\n各位代表：\n" + body,
			title: "2025年深圳市罗湖区政府工作报告", issuer: "深圳市罗湖区人民政府", year: 2025},
		{name: "人大 abbreviation, city 代市长",
			text:  "——2025年1月6日在市十七届人大五次会议上\n宜昌市人民政府代市长 李 四\n各位代表：\n" + body,
			title: "2025年宜昌市政府工作报告", issuer: "宜昌市人民政府", speaker: "宜昌市人民政府代市长 李四", published: date(2025, 1, 6), year: 2025},
		{name: "opening names the district; the city from the text",
			text:  "各位代表：\n现在，我代表龙岗区人民政府，向大会报告政府工作，请予审议。\n一、2023年工作回顾\n认真落实深圳市委部署，深圳市下达的任务全面完成。\n二、2024年工作安排\n支持深圳市建设先行示范区。\n",
			title: "2024年深圳市龙岗区政府工作报告", issuer: "深圳市龙岗区人民政府", year: 2024},
		{name: "opening names only the level",
			text:  "各位代表：\n现在，我代表县人民政府，向大会报告工作。\n一、2024年工作回顾\n在竹山县委坚强领导下，竹山县政府全面完成目标，竹山经济增长6%。\n二、2025年工作安排\n",
			title: "2025年竹山县政府工作报告", issuer: "竹山县人民政府", year: 2025},
		{name: "site chrome around the title, speaker without a speech line",
			text:  "当前位置：首页 > 政务公开 > 工作报告\n工作报告\n竹溪县2025年政府工作报告\n发布时间：2025-02-01????来源：竹溪县政府网????浏览次数：1024\n竹溪县人民政府县长 陈 刚\n各位代表：\n" + body + "【打印本页】\n【关闭窗口】\n",
			title: "竹溪县2025年政府工作报告", issuer: "竹溪县人民政府", speaker: "竹溪县人民政府县长 陈刚", published: date(2025, 2, 1), year: 2025, chrome: 4},
		{name: "an autonomous region is not a district; 市场 is not a city",
			text:  "2025年广西壮族自治区政府工作报告\n各位代表：\n一、2024年工作回顾\n实现市场化改革，实现市场主体增长，农贸市场升级。\n",
			title: "2025年广西壮族自治区政府工作报告", issuer: "广西壮族自治区人民政府", year: 2025},
		{name: "district named with 市场 around it",
			text:  "各位代表：\n现在，我代表福田区人民政府向大会报告工作。\n一、2024年工作回顾\n实现市场化，实现市场主体增长，实现市场繁荣。\n",
			title: "2025年福田区政府工作报告", issuer: "福田区人民政府", year: 2025},
		{name: "signature gives issuer, date and title of a 法治政府 report",
			text:  "现将有关情况报告如下：\n一、推进法治政府建设\n区政府推进法治政府建设，全年办理行政复议案件45件。\n二、存在问题\n个别单位落实不到位。\n深圳市南山区人民政府\n2023年12月20日\n",
			title: "深圳市南山区2023年法治政府建设工作报告", issuer: "深圳市南山区人民政府", published: date(2023, 12, 20), year: 2023},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse("x.txt", []byte(tt.text), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Title != tt.title || r.Issuer != tt.issuer || r.Speaker != tt.speaker || r.URL != tt.url || !r.Published.Equal(tt.published) || r.Year != tt.year {
				t.Errorf("got title %q issuer %q speaker %q url %q published %v year %d\nwant %q %q %q %q %v %d",
					r.Title, r.Issuer, r.Speaker, r.URL, r.Published, r.Year, tt.title, tt.issuer, tt.speaker, tt.url, tt.published, tt.year)
			}
			if len(r.Chrome) != tt.chrome {
				t.Errorf("chrome %q, want %d lines", r.Chrome, tt.chrome)
			}
			for _, p := range r.Paragraphs {
				for _, h := range p.Path {
					if strings.Contains(h.Text, "长") {
						t.Errorf("speaker line as heading: %q", h.Text)
					}
				}
			}
			checkConservation(t, r, tt.text)
		})
	}
}

// TestTailChrome checks what is cut at the end of scraped texts: link
// lists, share buttons and disclaimers go; a signature, a glossary and
// short closing lines of the report stay.
func TestTailChrome(t *testing.T) {
	tests := []struct {
		name, tail string
		chrome     int
	}{
		{"signature stays", "深圳市龙华区人民政府\n2019年12月18日\n", 0},
		{"closing slogan stays", "各位代表！\n奋斗创造未来\n", 0},
		{"glossary stays", "名词解释\n1.“双减”：减轻学生作业负担和校外培训负担。\n", 0},
		{"buttons", "下载、打印\n", 1},
		{"link list without a marker", "02-22\n博野县2025年政府工作报告\n02-22\n涞源县2025年政府工作报告\n", 4},
		{"disclaimer, tags, prev/next", "免责声明：本文仅代表作者观点，不代表本站立场。\n标签：\n2025年\n易县\n上一篇：\n博野县2025年政府工作报告\n下一篇：\n清苑区2025年政府工作报告\n", 8},
		{"share and related", "分享到：\n微信\n微博\n相关文章\n[2024-01-02]\n2024年某县政府工作报告\n", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "各位代表：\n全年地区生产总值增长5%，一般公共预算收入增长3%。\n" + tt.tail
			r, err := Parse("x.txt", []byte(text), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Chrome) != tt.chrome {
				t.Errorf("chrome %q, want %d lines", r.Chrome, tt.chrome)
			}
			checkConservation(t, r, text)
		})
	}
}

// TestHeaderChrome checks which lines at the top of a scraped text are
// page chrome and which are the report's header or text.
func TestHeaderChrome(t *testing.T) {
	tests := []struct {
		line   string
		chrome bool
	}{
		{"时间：2025-02-22 作者：中国县域 来源：易县政府网 阅读：", true},
		{"发布时间：2024-01-05 16:20  来源：市政府办公室  浏览次数：3521", true},
		{"来源：竹溪县人民政府网", true},
		{"作者：县政府办", true},
		{"【字体：大 中 小】", true},
		{"点击数：1024", true},
		{"阅读：", true},
		{"当前位置：首页 > 政务公开 > 政府工作报告", true},
		{"发文单位：竹溪县人民政府", false},
		{"竹溪县2025年政府工作报告", false},
		{"——2025年1月8日在竹溪县第十九届人民代表大会第五次会议上", false},
		{"各位代表：", false},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			text := "竹溪县2025年政府工作报告\n" + tt.line + "\n各位代表：\n全县地区生产总值增长6%。\n"
			r, err := Parse("x.txt", []byte(text), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Contains(r.Chrome, tt.line); got != tt.chrome {
				t.Errorf("chrome = %v, want %v (chrome %q, header %q)", got, tt.chrome, r.Chrome, r.Header)
			}
			checkConservation(t, r, text)
		})
	}
}

package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "html", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestExtractHTML(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		file, contentType string
		charset           string
		meta              Meta
		firstPara         string   // the first body paragraph after the title
		paras             int      // body paragraphs, title excluded
		contains          []string // in the text
		excludes          []string // chrome that must not leak into the text
	}{
		{
			file: "hubei-xxgk-utf8.html", contentType: "text/html; charset=utf-8", charset: "utf-8",
			meta:      Meta{Title: "2025年湖北省政府工作报告", Issuer: "湖北省人民政府", IndexNumber: "011043102/2025-00012", Topic: `综合政务\其他`, Published: day(2025, 1, 23), Year: 2025},
			firstPara: "2025年1月16日在湖北省第十四届人民代表大会第三次会议上湖北省人民政府代省长李殿勋作政府工作报告。",
			paras:     8,
			contains:  []string{"总量达到60013亿元", "\n\n一、2024年工作回顾\n\n", "各位代表："},
			excludes:  []string{"分享到", "打印", "ICP", "当前位置", "网站地图", "相关文件", "重点项目清单", "索引号", "字体", "湖北日报", "请输入关键词", "hm.src", "line-height"},
		},
		{
			// GB18030 bytes; the header says GB2312 (a subset label), the page's
			// <meta> says gb2312: both must lead to the same text.
			file: "state-council-gb18030.html", contentType: "text/html; charset=GB2312", charset: "gb18030",
			meta:      Meta{Title: "政府工作报告", Issuer: "国务院", IndexNumber: "000014349/2025-00012", Topic: `综合政务\其他`, Published: day(2025, 3, 12), Year: 2025},
			firstPara: "各位代表：",
			paras:     7,
			contains:  []string{"国内生产总值达到134.9万亿元", "城镇新增就业1256万人", "\n\n一、2024年工作回顾\n\n"},
			excludes:  []string{"京ICP", "我要纠错", "责任编辑", "首页", "索引号", "发文字号"},
		},
		{
			file: "state-council-gb18030.html", contentType: "", charset: "gb18030",
			meta:      Meta{Title: "政府工作报告", Issuer: "国务院", IndexNumber: "000014349/2025-00012", Topic: `综合政务\其他`, Published: day(2025, 3, 12), Year: 2025},
			firstPara: "各位代表：",
			paras:     7,
		},
		{
			// No known CMS container: the text-density heuristic finds the body.
			file: "hunan-li-utf8.html", contentType: "text/html", charset: "utf-8",
			meta:      Meta{Title: "2026年湖南省政府工作报告", Issuer: "湖南省人民政府", IndexNumber: "114300000061979167/2026-00008", Topic: "政府工作报告", DocNumber: "湘政发〔2026〕1号", Published: day(2026, 2, 10), Year: 2026},
			firstPara: "——2026年2月3日在湖南省第十四届人民代表大会第四次会议上",
			paras:     7,
			contains:  []string{"累计争取中央转移支付超5300亿元"},
			excludes:  []string{"信息公开目录", "公告通知全文", "上一篇", "湘ICP", "索引号"},
		},
		{
			// Declared UTF-8 in both header and meta, bytes are GB18030.
			file: "wrong-charset-gbk.html", contentType: "text/html; charset=utf-8", charset: "gb18030",
			meta:      Meta{Title: "2026年湖南省政府工作报告", Issuer: "湖南省人民政府", IndexNumber: "114300000061979167/2026-00008", Topic: "政府工作报告", DocNumber: "湘政发〔2026〕1号", Published: day(2026, 2, 10), Year: 2026},
			firstPara: "——2026年2月3日在湖南省第十四届人民代表大会第四次会议上",
			paras:     7,
			contains:  []string{"累计争取中央转移支付超5300亿元"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			p, err := ExtractHTML(readFixture(t, tt.file), tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if p.Charset != tt.charset {
				t.Errorf("charset = %q, want %q", p.Charset, tt.charset)
			}
			if !p.Meta.Published.Equal(tt.meta.Published) {
				t.Errorf("published = %v, want %v", p.Meta.Published, tt.meta.Published)
			}
			got, want := p.Meta, tt.meta
			got.Published, want.Published = time.Time{}, time.Time{}
			if got != want {
				t.Errorf("meta =\n%+v\nwant\n%+v", got, want)
			}
			parts := strings.Split(strings.TrimSpace(p.Text), "\n\n")
			if parts[0] != tt.meta.Title {
				t.Errorf("first line = %q, want the title %q", parts[0], tt.meta.Title)
			}
			if len(parts)-1 != tt.paras {
				t.Errorf("%d body paragraphs, want %d:\n%s", len(parts)-1, tt.paras, p.Text)
			}
			if len(parts) > 1 && parts[1] != tt.firstPara {
				t.Errorf("first paragraph = %q, want %q", parts[1], tt.firstPara)
			}
			for _, s := range tt.contains {
				if !strings.Contains(p.Text, s) {
					t.Errorf("text lacks %q", s)
				}
			}
			for _, s := range tt.excludes {
				if strings.Contains(p.Text, s) {
					t.Errorf("text contains chrome %q", s)
				}
			}
			if strings.ContainsAny(p.Text, "\uFFFD\u3000<>") {
				t.Errorf("text has replacement characters, indentation or markup:\n%s", p.Text)
			}
		})
	}
}

func TestExtractHTMLErrors(t *testing.T) {
	tests := []struct {
		name        string
		page        []byte
		contentType string
		want        error
	}{
		{"truncated", readFixture(t, "truncated.html"), "text/html; charset=utf-8", ErrTruncated},
		{"listing page", readFixture(t, "listing.html"), "text/html", ErrNoArticle},
		{"cut inside a GB18030 character", func() []byte {
			p := readFixture(t, "state-council-gb18030.html")
			return append(p[:len(p)-1], 0xB9) // a lead byte with no trail
		}(), "text/html; charset=gbk", ErrTruncated},
		{"binary", append([]byte("<html><body>\x00\x01\x02"), []byte("</body></html>")...), "", ErrNotText},
		{"empty", []byte("<html><body></body></html>"), "text/html", ErrNoArticle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ExtractHTML(tt.page, tt.contentType)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v (page %+v)", err, tt.want, p)
			}
			if err.Error() == tt.want.Error() {
				t.Errorf("error %q adds no detail", err)
			}
		})
	}
}

// TestHTMLCharsetDeclarations checks that an undecodable page's error names
// the charset its header or <meta> tag declares (canonical WHATWG names:
// gb2312 is gbk), so that a mis-encoded page can be told apart.
func TestHTMLCharsetDeclarations(t *testing.T) {
	junk := strings.Repeat("\x80\xff", 200)
	tests := []struct {
		contentType, head, want string
	}{
		{"text/html; charset=GBK", "", `"gbk"`},
		{`text/html;charset="utf-8"`, `<meta charset="gbk">`, `"utf-8"`},
		{"text/html", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, `"gbk"`},
		{"", `<meta charset='Big5'>`, `"big5"`},
	}
	for _, tt := range tests {
		t.Run(tt.contentType+tt.head, func(t *testing.T) {
			page := []byte("<html><head>" + tt.head + "</head><body>" + junk + "</body></html>")
			_, err := ExtractHTML(page, tt.contentType)
			if !errors.Is(err, ErrNotText) {
				t.Fatalf("err = %v, want ErrNotText", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to name %s", err, tt.want)
			}
		})
	}
}

func TestParseHTML(t *testing.T) {
	tests := []struct {
		file        string
		meta        Meta
		wantID      string
		wantTitle   string
		wantIssuer  string
		wantIndexNo string
		wantYear    int
		wantDate    string
		wantURL     string
		wantPara    string // a paragraph that must be parsed
	}{
		{
			file: "hubei-xxgk-utf8.html", wantID: "hubei-xxgk-utf8", wantTitle: "2025年湖北省政府工作报告", wantIssuer: "湖北省人民政府",
			wantIndexNo: "011043102/2025-00012", wantYear: 2025, wantDate: "2025-01-16", // the text's delivery date beats the posting date
			wantPara: "总量达到60013亿元",
		},
		{
			file: "state-council-gb18030.html", meta: Meta{ID: "2025-state-council", URL: "https://www.gov.cn/x.htm", Title: "2025年国务院政府工作报告"},
			wantID: "2025-state-council", wantTitle: "2025年国务院政府工作报告", wantIssuer: "国务院", wantIndexNo: "000014349/2025-00012",
			wantYear: 2025, wantDate: "2025-03-12", wantURL: "https://www.gov.cn/x.htm", wantPara: "城镇新增就业1256万人",
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := ParseHTML(tt.file, readFixture(t, tt.file), "", tt.meta)
			if err != nil {
				t.Fatal(err)
			}
			if r.ID != tt.wantID || r.Title != tt.wantTitle || r.Issuer != tt.wantIssuer || r.IndexNumber != tt.wantIndexNo || r.URL != tt.wantURL {
				t.Errorf("report = id %q title %q issuer %q 索引号 %q url %q", r.ID, r.Title, r.Issuer, r.IndexNumber, r.URL)
			}
			if r.Year != tt.wantYear || r.Published.Format("2006-01-02") != tt.wantDate {
				t.Errorf("year %d published %v, want %d %s", r.Year, r.Published, tt.wantYear, tt.wantDate)
			}
			found := false
			for _, p := range r.Paragraphs {
				found = found || strings.Contains(p.Text, tt.wantPara)
			}
			if !found {
				t.Errorf("no paragraph contains %q", tt.wantPara)
			}
		})
	}
	if _, err := ParseHTML("t.html", readFixture(t, "truncated.html"), "", Meta{}); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated page: err = %v", err)
	}
}

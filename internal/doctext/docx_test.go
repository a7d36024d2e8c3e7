package doctext

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
)

// wordDoc builds a .docx with the given WordprocessingML body paragraphs,
// numbering and styles parts, as Word writes them.
func wordDoc(t *testing.T, body, numbering, styles string) []byte {
	t.Helper()
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document ` + ns + `><w:body>` + body + `</w:body></w:document>`,
		"word/numbering.xml":  `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + ns + `>` + numbering + `</w:numbering>`,
		"word/styles.xml":     `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + ns + `>` + styles + `</w:styles>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "word/numbering.xml", "word/styles.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func para(props, text string) string {
	return `<w:p><w:pPr>` + props + `</w:pPr><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func numPr(id, level string) string {
	return `<w:numPr><w:ilvl w:val="` + level + `"/><w:numId w:val="` + id + `"/></w:numPr>`
}

// TestDOCXNumbering: headings numbered by Word (a heading style with a
// list, explicit list paragraphs) get their numbers, so corpus.Parse
// builds the same sections as for typed numbers; bullets, tracked
// deletions and the old numbering of a formatting change do not show.
func TestDOCXNumbering(t *testing.T) {
	numbering := `<w:abstractNum w:abstractNumId="7">
		<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
		<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
		<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
	</w:abstractNum>
	<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
	<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
	<w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num>`
	styles := `<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr>` + numPr("1", "0") + `</w:pPr></w:style>`
	h1 := `<w:pStyle w:val="1"/>`
	body := para(`<w:jc w:val="center"/>`, "某县2025年政府工作报告") +
		para("", "各位代表：") +
		para(h1, "2024年工作回顾") +
		para("", "全年地区生产总值增长5.5%。") +
		para(numPr("1", "1"), "经济运行稳中有进") +
		para("", "规模以上工业增加值增长6.1%。") +
		para(numPr("1", "1"), "民生保障更加有力") +
		para(numPr("1", "2"), "就业稳定。") +
		`<w:p><w:pPr>` + numPr("1", "2") + `</w:pPr><w:r><w:t>城镇新增就业</w:t></w:r><w:del><w:r><w:delText>1.1万人</w:delText></w:r></w:del><w:r><w:t>1.2万人。</w:t></w:r></w:p>` +
		para(h1, "2025年工作安排") +
		para(numPr("1", "1")+`<w:pPrChange><w:pPr>`+numPr("2", "0")+`</w:pPr></w:pPrChange>`, "扩大有效投资") +
		para(numPr("2", "0"), "重点项目100个以上。")
	text, err := DOCXText(wordDoc(t, body, numbering, styles))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"某县2025年政府工作报告", "各位代表：",
		"一、2024年工作回顾", "全年地区生产总值增长5.5%。",
		"（一）经济运行稳中有进", "规模以上工业增加值增长6.1%。",
		"（二）民生保障更加有力", "1.就业稳定。", "2.城镇新增就业1.2万人。",
		"二、2025年工作安排", "（一）扩大有效投资", "重点项目100个以上。",
	}
	if got := strings.Split(strings.TrimSpace(text), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r, err := corpus.Parse("r.docx", []byte(text), corpus.Meta{ID: "r"})
	if err != nil {
		t.Fatal(err)
	}
	last := r.Paragraphs[len(r.Paragraphs)-1]
	if path := strings.Join(last.SectionPath(), " > "); path != "二、2025年工作安排 > （一）扩大有效投资" {
		t.Errorf("last paragraph's section = %q", path)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		format string
		v      int
		want   string
	}{
		{"chineseCounting", 1, "一"}, {"chineseCounting", 10, "十"}, {"chineseCounting", 12, "十二"},
		{"chineseCounting", 20, "二十"}, {"chineseCountingThousand", 35, "三十五"},
		{"decimal", 3, "3"}, {"decimalFullWidth", 12, "１２"}, {"decimalEnclosedCircle", 3, "③"},
		{"lowerLetter", 28, "bb"}, {"upperRoman", 14, "XIV"},
	} {
		if got, ok := formatNumber(tt.format, tt.v); !ok || got != tt.want {
			t.Errorf("formatNumber(%s, %d) = %q, want %q", tt.format, tt.v, got, tt.want)
		}
	}
}

package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/govbot/govbot/internal/sharedtest"
)

// TestLoadDirShared parses all shared reports with their manifest.
func TestLoadDirShared(t *testing.T) {
	dir := sharedtest.Reports(t)
	reports, errs := LoadDir(dir)
	for _, err := range errs {
		t.Error(err)
	}
	manifest, err := LoadManifest(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != len(manifest) || len(reports) != 117 {
		t.Errorf("%d reports, %d manifest entries; want 117", len(reports), len(manifest))
	}
	for i, r := range reports {
		if i > 0 && reports[i-1].ID >= r.ID {
			t.Errorf("reports not sorted: %s before %s", reports[i-1].ID, r.ID)
		}
		checkStructure(t, r)
		data, err := os.ReadFile(filepath.Join(dir, r.ID+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		checkConservation(t, r, string(data))
		m := manifest[r.ID+".txt"]
		if r.Title != m.Title || r.Issuer != m.Issuer || r.Year != m.Year || !r.Published.Equal(m.Published) && !m.Published.IsZero() {
			t.Errorf("%s: metadata %q %q %d %v, manifest %+v", r.ID, r.Title, r.Issuer, r.Year, r.Published, m)
		}
		if r.Source == "" {
			t.Errorf("%s: no source", r.ID)
		}
	}
}

// TestParseShared checks metadata, paragraph and heading counts and the
// section path of chosen paragraphs on real reports, parsed without a
// manifest so that the metadata comes from the text alone.
//
// The counts were checked independently of the parser: paragraphs are the
// non-blank lines, less the header lines, less the lines that are headings
// on their own (numbered, no sentence end, at most 40 runes, counted with
// grep; plus the unnumbered 附件/名词解释/"2024年工作回顾" lines, read by eye).
func TestParseShared(t *testing.T) {
	dir := sharedtest.Reports(t)
	type path struct {
		contains string
		want     []string
	}
	tests := []struct {
		file       string
		title      string
		issuer     string
		speaker    string
		published  time.Time
		year       int
		header     int
		paragraphs int
		levels     []int
		paths      []path
	}{
		{file: "1954-state-council-gwr.txt", issuer: "中央人民政府", paragraphs: 95, levels: nil,
			paths: []path{{"我們第一届全國人民代表大會第一次會議", nil}}},
		{file: "1960-state-council-gwr.txt", paragraphs: 33, levels: []int{4},
			paths: []path{{"一九五六年到一九六七年全国农业发展纲要，是中共中央政治局", []string{"一"}}}},
		{file: "1978-state-council-gwr.txt", issuer: "国务院", paragraphs: 140, levels: []int{6, 6},
			paths: []path{
				{"报告分六个部分：一、三年来的斗争和新时期的总任务；二、", nil},
				{"农业是国民经济的基础。我们的农业如果不以比过去更高的速度", []string{"三、加快社会主义经济建设", "第一，全国动员，大办农业"}},
			}},
		{file: "2010-state-council-gwr.txt", issuer: "国务院", paragraphs: 226, levels: []int{2, 12},
			paths: []path{{"国内生产总值达到33.5万亿元，比上年增长8.7%", []string{"一、2009年工作回顾"}}}},
		{file: "2024-state-council-gwr.txt", title: "2024年中华人民共和国国务院政府工作报告", issuer: "国务院", speaker: "国务院总理 李强",
			published: date(2024, 3, 5), year: 2024, header: 3, paragraphs: 85, levels: []int{3, 10},
			paths: []path{
				{"国内生产总值超过126万亿元，增长5.2%", []string{"一、2023年工作回顾"}},
				{"促进消费稳定增长。从增加收入、优化供给", []string{"三、2024年政府工作任务", "（三）着力扩大国内需求，推动经济实现良性循环"}},
			}},
		{file: "2025-state-council-gwr.txt", title: "2025年中华人民共和国国务院政府工作报告", issuer: "国务院", year: 2025, paragraphs: 78, levels: []int{3, 10},
			paths: []path{{"国内生产总值达到134.9万亿元、增长5%", []string{"一、2024年工作回顾"}}}},
		{file: "2025-hubei-gwr.txt", title: "2025年湖北省政府工作报告", issuer: "湖北省人民政府", speaker: "湖北省人民政府代省长 李殿勋",
			published: date(2025, 1, 16), year: 2025, header: 2, paragraphs: 40, levels: []int{3, 16},
			paths: []path{{"（一）聚力稳增长，稳的基础更加坚实。坚持把稳增长摆在突出位置", []string{"一、2024年工作回顾", "（一）聚力稳增长，稳的基础更加坚实"}}}},
		{file: "2026-beijing-gwr.txt", title: "2026年北京市政府工作报告", issuer: "北京市人民政府", speaker: "北京市市长 殷勇",
			published: date(2026, 1, 25), year: 2026, header: 3, paragraphs: 77, levels: []int{3, 10},
			paths: []path{{"坚持惠民生和促消费、投资于物和投资于人紧密结合", []string{"三、2026年重点工作", "（二）增强内需主导能力，巩固拓展经济稳中向好势头"}}}},
		{file: "2025-guangdong-gwr.txt", title: "2025年广东省政府工作报告", issuer: "广东省人民政府", speaker: "广东省省长 王伟中",
			published: date(2025, 1, 15), year: 2025, header: 3, paragraphs: 119, levels: []int{4, 31, 10},
			paths: []path{
				{"为超2.5万名65岁及以上失能老年人免费提供健康管理", []string{"附件1", "2025年省十件民生实事", "一、为老年人提供健康管理、医养结合服务和提升养老机构服务水平"}},
				{"2.分线管理：货物“一线”放开", []string{"附件2 名词解释", "2.分线管理"}},
			}},
		{file: "2026-xinjiang-gwr.txt", title: "2026年新疆维吾尔自治区政府工作报告", issuer: "新疆维吾尔自治区人民政府", speaker: "自治区主席 艾尔肯·吐尼亚孜",
			published: date(2026, 1, 27), year: 2026, header: 3, paragraphs: 55, levels: []int{4, 22},
			paths: []path{{"“十五五”时期在新疆现代化进程中具有承前启后的重要地位", []string{"二、“十五五”时期经济社会发展的主要目标和战略举措"}}}},
		{file: "2025-shanghai-gwr.txt", title: "2025年上海市政府工作报告", issuer: "上海市人民政府", speaker: "市长 龚正",
			published: date(2025, 1, 15), year: 2025, header: 2, paragraphs: 87, levels: []int{3, 19},
			paths: []path{{"稳增长持续用力加力。完善经济运行调度机制", []string{"一、2024年工作回顾", "（三）多措并举扩大有效需求，经济发展质量效益进一步增强"}}}},
		{file: "2025-sichuan-gwr.txt", title: "2025年四川省政府工作报告", issuer: "四川省人民政府", speaker: "四川省人民政府省长 施小琳",
			published: date(2025, 1, 20), year: 2025, header: 3, paragraphs: 128, levels: []int{4, 68},
			paths: []path{
				{"（一）巩固增强经济回升向好态势。", []string{"2024年工作回顾", "（一）巩固增强经济回升向好态势"}},
				{"（一）树牢正确政绩观。", []string{"加强政府自身建设", "（一）树牢正确政绩观"}},
			}},
		{file: "2025-yunnan-gwr.txt", title: "2025年云南省政府工作报告", issuer: "云南省人民政府", speaker: "省长 王予波",
			published: date(2025, 1, 18), year: 2025, header: 3, paragraphs: 133, levels: []int{5, 66, 10},
			paths: []path{
				{"主办单位：省司法厅", []string{"附件", "2025年10件惠民实事", "七、推动法律援助扩面提质"}},
				// Entry 3 is missing from the source; 4 still follows 2.
				{"4.“厅局长坐诊接诉”：省级部门", []string{"名词解释", "4.“厅局长坐诊接诉”"}},
			}},
		{file: "2025-gansu-gwr.txt", title: "2025年甘肃省政府工作报告", issuer: "甘肃省人民政府", speaker: "甘肃省省长 任振鹤",
			published: date(2025, 1, 20), year: 2025, header: 3, paragraphs: 51, levels: []int{3, 8},
			paths: []path{{"大力提振消费需求。全面落实“两新”政策", []string{"三、2025年重点工作", "一是聚焦全方位扩大内需，着力提消费促投资"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := ParseFile(filepath.Join(dir, tt.file), Meta{})
			if err != nil {
				t.Fatal(err)
			}
			checkStructure(t, r)
			if r.Title != tt.title || r.Issuer != tt.issuer || r.Speaker != tt.speaker || !r.Published.Equal(tt.published) || r.Year != tt.year {
				t.Errorf("metadata %q %q %q %v %d, want %q %q %q %v %d", r.Title, r.Issuer, r.Speaker, r.Published, r.Year,
					tt.title, tt.issuer, tt.speaker, tt.published, tt.year)
			}
			if len(r.Header) != tt.header {
				t.Errorf("header %q, want %d lines", r.Header, tt.header)
			}
			if len(r.Paragraphs) != tt.paragraphs {
				t.Errorf("%d paragraphs, want %d", len(r.Paragraphs), tt.paragraphs)
			}
			if got := levelCounts(r); !slices.Equal(got, tt.levels) {
				t.Errorf("headings per level %v, want %v", got, tt.levels)
			}
			for _, p := range tt.paths {
				if got := findParagraph(t, r, p.contains).SectionPath(); !slices.Equal(got, p.want) {
					t.Errorf("path of %q = %q, want %q", p.contains, got, p.want)
				}
			}
		})
	}
}

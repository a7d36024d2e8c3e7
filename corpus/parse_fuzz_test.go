package corpus

import (
	"errors"
	"os"
	"testing"

	"github.com/govbot/govbot/corpus/sample"
)

// FuzzParse checks that Parse never panics and never loses text: for any
// input it accepts, the header, headings and paragraphs spell the body.
func FuzzParse(f *testing.F) {
	seeds := []string{
		string(sample.Fangxian[:1200]),
		"政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李　强\n\n各位代表：\n\n一、2023年工作回顾\n\n——经济总体回升向好。国内生产总值超过126万亿元，增长5.2%。\n",
		"2025年湖北省政府工作报告\n2025年1月16日在湖北省第十四届人民代表大会第三次会议上湖北省人民政府代省长李殿勋作政府工作报告。\n各位代表：\n（一）聚力稳增长，稳的基础更加坚实。坚持把稳增长摆在突出位置。\n",
		"各位代表！\n\n报告分六个部分：一、三年来的斗争；二、任务。\n\n三、加快社会主义经济建设\n\n第一，全国动员，大办农业\n\n1.4万亿斤粮食。\n",
		"---\ntitle: x\ndate: 2025-03-05\n---\n各位代表：\n（\n一）改革。\n三、关于《\n纲要\n》的说明\n",
		"名词解释\n1.“两重”：国家重大战略。\n4.“厅局长”：省级部门。\n附件\n2025年10件惠民实事\n一、稳定就业\n主办单位：省人社厅\n",
		"一\n\n一九五六年到一九六七年全国农业发展纲要。\n\n二\n\n一、\n\n（一）\n\n１．\n\n(1)\n",
		"索引号：1\n主题分类\n文号\n\n正文。\r\n\r第二章\u2028正文\u2029",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if os.Getenv("NOFIG") != "" {
		figureExtractor = nil
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.txt", data, Meta{})
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNotText) && !errors.Is(err, ErrFrontMatter) && !errors.Is(err, ErrNoParagraphs) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		text, _, err := Decode(data, "")
		if err != nil {
			t.Fatalf("Parse accepted what Decode rejects: %v", err)
		}
		_, body, _, err := splitFrontMatter(text)
		if err != nil {
			t.Fatal(err)
		}
		checkStructure(t, r)
		checkConservation(t, r, body)
	})
}

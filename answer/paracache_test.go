package answer

import (
	"testing"
)

// TestWithinKeepsCoverage checks, on the sample report, that the terms cut
// to a paragraph's words give every sentence of it (alone and with the
// section) the coverage the full terms give, and that the facts kept for a
// paragraph (sentences, periods, figures' years) are those computed afresh.
func TestWithinKeepsCoverage(t *testing.T) {
	e, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r, err := e.ix.Report(e.Reports()[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	questions := []string{
		"去年办理了多少件行政复议案件？", "网上办理率是多少", "“八五”普法有什么进展",
		"行政执法人员培训了多少人次", "法治政府示范创建", "放管服改革 营商环境",
	}
	cut := 0
	for _, raw := range questions {
		q := parseQuestion(raw, e.dir)
		terms := questionTerms(e.ix, q.content)
		if len(terms) == 0 {
			t.Fatalf("%s: no terms", raw)
		}
		topic := topicTerms(terms)
		for i := range r.Paragraphs {
			para := &r.Paragraphs[i]
			pf := e.paras.facts(r, para)
			if got := e.paras.facts(r, para); got != pf {
				t.Fatalf("%s: facts computed twice", para.ID)
			}
			paraU := unquote(para.Text) + " " + pf.sectionU
			pTerms, pTopic := within(terms, paraU), within(topic, paraU)
			if len(pTerms) != len(terms) {
				t.Fatalf("within dropped terms: %d of %d", len(pTerms), len(terms))
			}
			for k := range terms {
				if len(pTerms[k].alts) < len(terms[k].alts) {
					cut++
				}
			}
			sentences := splitSentences(para.Text)
			if len(sentences) != len(pf.sentences) {
				t.Fatalf("%s: %d sentences kept, %d split", para.ID, len(pf.sentences), len(sentences))
			}
			hy, hk := headingTime(r, para)
			if hy != pf.hYear || hk != pf.hKind {
				t.Errorf("%s: heading time %d/%d kept, %d/%d computed", para.ID, pf.hYear, pf.hKind, hy, hk)
			}
			for j, s := range sentences {
				sf := &pf.sentences[j]
				sentence := para.Text[s[0]:s[1]]
				if int(sf.start) != s[0] || int(sf.end) != s[1] || sf.text(para) != unquote(sentence) {
					t.Fatalf("%s: sentence %d kept as %d–%d %q", para.ID, j, sf.start, sf.end, sf.text(para))
				}
				for fi := range para.Figures {
					f := &para.Figures[fi]
					if f.Start < s[0] || f.Start >= s[1] {
						continue
					}
					if y := yearBefore(para.Text[s[0]:f.Start]); int(pf.figYear[fi]) != y {
						t.Errorf("%s: figure %s year %d kept, %d computed", para.ID, f.Text, pf.figYear[fi], y)
					}
					if a := aggregate.MatchString(f.Context); pf.figAggregate[fi] != a {
						t.Errorf("%s: figure %s aggregate %v kept, %v computed", para.ID, f.Text, pf.figAggregate[fi], a)
					}
				}
				y, k, ok := sentenceTime(r, sentence)
				if int(sf.year) != y || sf.kind != k || sf.ok != ok {
					t.Errorf("%s: sentence %d time %d/%d/%v kept, %d/%d/%v computed", para.ID, j, sf.year, sf.kind, sf.ok, y, k, ok)
				}
				for _, text := range []string{sf.text(para), sf.text(para) + " " + pf.sectionU} {
					if a, b := coverageU(terms, text), coverageU(pTerms, text); a != b {
						t.Errorf("%s %q: coverage %v with all terms, %v within the paragraph", raw, text, a, b)
					}
					if a, b := coverageU(topic, text), coverageU(pTopic, text); a != b {
						t.Errorf("%s %q: topic coverage %v with all terms, %v within the paragraph", raw, text, a, b)
					}
				}
			}
		}
	}
	if cut == 0 {
		t.Error("within never cut a term: the test shows nothing")
	}
}

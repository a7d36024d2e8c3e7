package answer

import (
	"context"
	"fmt"
	"strings"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
)

// answerMeta answers a question about the report itself: who issued it,
// when, its title, document or index number.
func (e *Engine) answerMeta(ctx context.Context, q *question, sc scope) (*Answer, error) {
	rep, err := e.metaReport(ctx, q, sc)
	if err != nil || rep == nil {
		return e.abstain(q, "没有找到这份报告。", sc.all), err
	}
	var label, value string
	switch q.meta {
	case metaIssuer:
		label, value = "发布机构", rep.Issuer
	case metaDate:
		label = "发布日期"
		if !rep.Published.IsZero() {
			value = rep.Published.Format("2006年1月2日")
		} else if rep.Year > 0 {
			value = fmt.Sprintf("%d年", rep.Year)
		}
	case metaTitle:
		label, value = "标题", "《"+rep.Title+"》"
	case metaDocNumber:
		label, value = "文号", rep.DocNumber
	case metaIndexNumber:
		label, value = "索引号", rep.IndexNumber
	case metaTopic:
		label, value = "主题分类", rep.Topic
	case metaSpeaker:
		label, value = "报告人", rep.Speaker
	}
	if value == "" || value == "《》" {
		return e.abstain(q, fmt.Sprintf("《%s》没有注明%s。", rep.Title, label), sc.all), nil
	}
	a := &Answer{Answered: true, Fact: label + "：" + value}
	p := Passage{Report: refOf(&rep.Meta), Section: []string{}, Figures: []corpus.Figure{}}
	if line := headerLine(rep, q.meta, value); line != "" {
		// The line of the report's header that states the fact.
		p.Excerpt = line
	} else if len(rep.Paragraphs) > 0 {
		first := rep.Paragraphs[0]
		p.Paragraph = first.ID
		p.Excerpt = firstSentence(first.Text)
	}
	a.Answers = []Passage{p}
	return a, nil
}

// metaReport picks the report a meta question is about: the best match for
// its remaining words in scope, else the newest report in scope.
func (e *Engine) metaReport(ctx context.Context, q *question, sc scope) (*corpus.Report, error) {
	if terms := questionTerms(&e.dfs, q.content); len(terms) > 0 {
		var words []string
		for _, t := range terms {
			words = append(words, t.alts...)
		}
		hits, err := e.ix.Search(ctx, q2query(words, sc))
		if err != nil {
			return nil, err
		}
		if len(hits) > 0 && len(sc.ids) != 1 {
			if coverageOfReport(e, hits[0].Report, terms) >= 0.5 {
				return e.ix.Report(hits[0].Report)
			}
			// "讲行政复议的那份报告": the report whose paragraph says it all.
			if _, p, err := e.ix.Paragraph(hits[0].Paragraph); err == nil && coverage(terms, p.Text+" "+strings.Join(p.SectionPath(), " ")) >= 0.8 {
				return e.ix.Report(hits[0].Report)
			}
		}
	}
	if len(q.issuers) == 0 && len(sc.all) > 1 && !(q.deictic && len(sc.all) == 1) {
		// No place named among many issuers: the national report, as for
		// other questions.
		for _, ri := range sc.all {
			if ri.Issuer == nationalIssuer && (len(sc.ids) == 0 || sc.has(ri.ID)) {
				return e.ix.Report(ri.ID)
			}
		}
	}
	if len(sc.ids) > 0 {
		// Newest in scope.
		for _, ri := range sc.all {
			if sc.has(ri.ID) {
				return e.ix.Report(ri.ID)
			}
		}
	}
	if len(sc.all) > 0 {
		return e.ix.Report(sc.all[0].ID)
	}
	return nil, nil
}

func coverageOfReport(e *Engine, id string, terms []term) float64 {
	r, err := e.ix.Report(id)
	if err != nil {
		return 0
	}
	return coverage(terms, r.Title+" "+r.Issuer)
}

func firstSentence(s string) string {
	if ss := zhtext.SplitSentences(s); len(ss) > 0 {
		return strings.TrimSpace(s[ss[0][0]:ss[0][1]])
	}
	return s
}

// headerLine returns the line of rep's header (title, disclosure header,
// speech header) that states value, "" when none does.
func headerLine(rep *corpus.Report, kind metaKind, value string) string {
	squeeze := strings.NewReplacer(" ", "", "\u3000", "", "《", "", "》", "")
	var wants []string
	switch kind {
	case metaDate:
		if !rep.Published.IsZero() {
			d := rep.Published
			wants = []string{d.Format("2006年1月2日"), d.Format("2006年01月02日"), d.Format("2006-01-02")}
		}
	case metaSpeaker:
		if f := strings.Fields(rep.Speaker); len(f) > 0 {
			wants = []string{f[len(f)-1]}
		}
	default:
		wants = []string{squeeze.Replace(value)}
	}
	labels := map[metaKind][]string{
		metaIssuer: {"发布机构", "发文机关", "发文单位"}, metaDate: {"发文日期", "成文日期", "发布日期"},
		metaDocNumber: {"文号", "发文字号"}, metaIndexNumber: {"索引号"}, metaTopic: {"主题分类"},
	}[kind]
	shows := func(l string) bool {
		sl := squeeze.Replace(l)
		for _, w := range wants {
			if w != "" && strings.Contains(sl, w) {
				return true
			}
		}
		return false
	}
	// The disclosure header has the label on one line, the value on the next.
	for i := 0; i+1 < len(rep.Header); i++ {
		l := strings.TrimSpace(rep.Header[i])
		for _, lb := range labels {
			if strings.TrimRight(l, zhtext.Colons) == lb && shows(rep.Header[i+1]) {
				return lb + " " + strings.TrimSpace(rep.Header[i+1])
			}
			if strings.HasPrefix(l, lb) && shows(l) {
				return l
			}
		}
	}
	for _, l := range rep.Header {
		sl := squeeze.Replace(l)
		for _, w := range wants {
			if w != "" && strings.Contains(sl, w) {
				return strings.TrimSpace(l)
			}
		}
	}
	return ""
}

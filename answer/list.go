package answer

import (
	"regexp"
	"strings"

	"github.com/govbot/govbot/corpus"
)

// listCue marks questions asking what a section contains ("今年的重点工作有哪些").
var listCue = regexp.MustCompile(`哪些|有什么|包括什么|包括哪|主要内容|几个方面|哪几`)

// listPassage answers "X有哪些" with the headings under the section that
// names X: the report's own list. It reports false when the best
// candidate's sections do not name the topic or have fewer than two parts.
func (e *Engine) listPassage(terms []term, best *candidate) (Passage, bool) {
	path := best.para.Path
	for i := len(path) - 1; i >= 0; i-- {
		h := path[i]
		if coverage(terms, h.Text) < 0.6 {
			continue
		}
		children := childHeadings(best.rep, h)
		if len(children) < 2 {
			continue
		}
		p := Passage{
			Report:    refOf(&best.rep.Meta),
			Paragraph: best.para.ID,
			Figures:   []corpus.Figure{},
			Score:     round3(best.score),
		}
		for _, x := range path[:i+1] {
			p.Section = append(p.Section, x.Text)
		}
		p.Excerpt = strings.Join(children, "\n")
		return p, true
	}
	return Passage{}, false
}

// childHeadings returns the texts of the headings directly under h.
func childHeadings(r *corpus.Report, h corpus.Heading) []string {
	var out []string
	in := false
	for _, x := range r.Headings {
		switch {
		case !in:
			in = x.Text == h.Text && x.Level == h.Level && (h.Line == 0 || x.Line == h.Line)
		case x.Level <= h.Level:
			return out
		case x.Level == h.Level+1:
			out = append(out, x.Text)
		}
	}
	return out
}

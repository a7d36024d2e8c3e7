package answer

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus"
)

// paraFacts is what the engine derives from a paragraph whatever the
// question: its sentences, the period each speaks of and the unquoted
// texts. Computing them for every hit of every question was a third of
// answering; they are computed once per paragraph and kept.
type paraFacts struct {
	// sectionU is the paragraph's section path, joined and unquoted.
	sectionU string
	// hYear and hKind are headingTime's reading of the paragraph.
	hYear int
	hKind timeKind
	// sentences are splitSentences' ranges with their readings.
	sentences []sentenceFacts
	// figYear is, per figure of the paragraph, yearBefore of its sentence
	// up to it; figAggregate whether its context sums or averages years.
	figYear      []int32
	figAggregate []bool
}

// sentenceFacts describes one sentence of a paragraph. It is kept small
// (24 bytes): the cache holds one per sentence of every paragraph answers
// looked at, which over the whole corpus is most of them.
type sentenceFacts struct {
	start, end int32
	// year and kind are sentenceTime's reading; ok says it found one.
	kind timeKind
	year int16
	ok   bool
	// quoted is set when the sentence has quote marks to drop.
	quoted bool
}

// text returns the sentence's unquoted text in para.
func (s *sentenceFacts) text(para *corpus.Paragraph) string {
	t := para.Text[s.start:s.end]
	if s.quoted {
		return unquote(t)
	}
	return t
}

// paraCache holds the facts of the paragraphs answers have looked at,
// keyed by the index's shared *corpus.Paragraph (the index keeps a loaded
// report until it is updated, and Refresh drops the cache).
type paraCache struct {
	m sync.Map // *corpus.Paragraph -> *paraFacts
	// sections interns the unquoted section paths: the paragraphs of a
	// section share one.
	sections sync.Map // string -> string
}

// facts returns para's facts, computing them on first use.
func (c *paraCache) facts(rep *corpus.Report, para *corpus.Paragraph) *paraFacts {
	if f, ok := c.m.Load(para); ok {
		return f.(*paraFacts)
	}
	section := strings.Join(para.SectionPath(), " ")
	sectionU, ok := c.sections.Load(section)
	if !ok {
		sectionU, _ = c.sections.LoadOrStore(section, unquote(section))
	}
	f := &paraFacts{sectionU: sectionU.(string)}
	f.hYear, f.hKind = headingTime(rep, para)
	// A paragraph opened by "刚刚过去的2017年，…" speaks of that year in
	// the sentences that follow and say no period of their own (a year
	// named later, "工业总产值1977年比1976年增长…", is that sentence's own).
	carry := 0
	split := splitSentences(para.Text)
	f.sentences = make([]sentenceFacts, 0, len(split))
	for i, s := range split {
		sentence := para.Text[s[0]:s[1]]
		sf := sentenceFacts{start: int32(s[0]), end: int32(s[1])}
		year, kind, ok := sentenceTime(rep, sentence)
		switch {
		case ok && kind == timeReview && year > 0 && i == 0:
			carry = year
		case ok:
			carry = 0
		case carry > 0:
			year, kind, ok = carry, timeReview, true
		}
		sf.year, sf.kind, sf.ok = int16(year), kind, ok
		sf.quoted = hasQuoteMark(sentence)
		f.sentences = append(f.sentences, sf)
	}
	f.figYear = make([]int32, len(para.Figures))
	f.figAggregate = make([]bool, len(para.Figures))
	for i := range para.Figures {
		fig := &para.Figures[i]
		f.figAggregate[i] = aggregate.MatchString(fig.Context)
		for _, s := range f.sentences {
			// The sentence the figure starts in, as candidates reads it.
			if fig.Start >= int(s.start) && fig.Start < int(s.end) {
				f.figYear[i] = int32(yearBefore(para.Text[s.start:fig.Start]))
				break
			}
		}
	}
	if g, loaded := c.m.LoadOrStore(para, f); loaded {
		return g.(*paraFacts)
	}
	return f
}

// reset drops every paragraph's facts (reports were added or removed).
func (c *paraCache) reset() {
	c.m.Clear()
	c.sections.Clear()
}

// within returns ts with each term's alternatives cut to those that can
// count in a text made of pieces of text (a sentence of a paragraph, the
// sentence with the section): present gives the same on such a text
// whether it is given ts or within(ts, text). An alternative is dropped
// when text holds neither it nor (for three characters or more) any of
// its two-character pieces; one with a space is kept, as it could match
// across the joins. ts itself is returned when nothing is dropped.
func within(ts []term, text string) []term {
	var out []term
	for i, t := range ts {
		keep := t.alts[:0:0]
		dropped := false
		for j, a := range t.alts {
			if mayCount(a, text) {
				if dropped {
					keep = append(keep, a)
				}
				continue
			}
			if !dropped {
				dropped = true
				keep = append(keep, t.alts[:j]...)
			}
		}
		if dropped && out == nil {
			out = append(make([]term, 0, len(ts)), ts[:i]...)
		}
		if out != nil {
			if dropped {
				t.alts = keep
			}
			out = append(out, t)
		}
	}
	if out == nil {
		return ts
	}
	return out
}

// mayCount reports whether present could find alternative a in a text made
// of pieces of text.
func mayCount(a, text string) bool {
	if strings.Contains(a, " ") || hasSub(text, a) {
		return true
	}
	if utf8.RuneCountInString(a) < 3 {
		return false
	}
	i := 0
	_, w1 := utf8.DecodeRuneInString(a)
	for j := w1; j < len(a); {
		_, w := utf8.DecodeRuneInString(a[j:])
		if hasSub(text, a[i:j+w]) {
			return true
		}
		i, j = j, j+w
	}
	return false
}

package answer

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/zhtext"
)

// paraFacts is what the engine derives from a paragraph whatever the
// question: its sentences, the period each speaks of, the unquoted
// texts and where each figure's clause and subject lie. Computing them for
// every hit of every question was a third of answering; they are computed
// once per paragraph and kept.
type paraFacts struct {
	// folded is the paragraph's text with traditional characters folded to
	// simplified ones (corpus.FoldHan), "" when it has none: the question's
	// words, folded as well, are looked for in it. It has the text's length
	// and byte offsets, so every range below is a range of both.
	folded string
	// sectionU is the paragraph's section path, joined and unquoted, and
	// sectionSig its rune signature.
	sectionU   string
	sectionSig uint64
	// marks are the offsets of the quote marks in the paragraph's text
	// (quoteMarkOffsets; nil for most paragraphs): the unquoted texts of
	// the paragraph and its sentences are copied around them without
	// looking for them again.
	marks []int32
	// wide is a 256-bit rune signature of the paragraph's text, as
	// written and unquoted.
	wide wideSig
	// hYear and hKind are headingTime's reading of the paragraph.
	hYear int
	hKind timeKind
	// sentences are zhtext.SplitSentences' ranges with their readings.
	sentences []sentenceFacts
	// figures describe the paragraph's figures, in the same order.
	figures []figureFacts
}

// sentenceFacts describes one sentence of a paragraph. It is kept small
// (32 bytes): the cache holds one per sentence of every paragraph answers
// looked at, which over the whole corpus is most of them.
type sentenceFacts struct {
	start, end int32
	// sig is a rune signature of the sentence, as written and unquoted:
	// most of a question's forms and pieces that a paragraph holds are
	// not in a given sentence of it, and it rules out three in four of
	// them without a search.
	sig uint64
	// year and kind are sentenceTime's reading; ok says it found one.
	kind timeKind
	year int16
	ok   bool
	// quoted is set when the sentence has quote marks to drop.
	quoted bool
	// figures counts the figures that start in the sentence (at most 255).
	figures uint8
	// heading and leadIn are isHeadingSentence's and leadIn's readings.
	heading, leadIn bool
}

// figureFacts describes one figure of a paragraph as candidates reads it
// in the sentence it starts in: the byte ranges of its clause
// (clauseAround) and of the paragraph's words in its subject
// (figureSubject), the rune signatures of the clause and the subject, and
// the tests that depend on the paragraph alone and are made for every
// figure scored (those made for few, as periodLevel, are left to
// candidates). 40 bytes: the cache holds one per figure of the paragraphs
// it holds (17,594 over the shared corpus).
type figureFacts struct {
	// clauseSig and subjectSig are rune signatures of the clause and the
	// subject, both as written and unquoted.
	clauseSig, subjectSig uint64
	// year is yearBefore of its sentence up to it.
	year               int32
	clauseStart        int32
	clauseEnd          int32
	subjectStart       int32
	subjectWithContext bool
	// aggregate: its context sums or averages years; perHead: it counts
	// per head (人均).
	aggregate, perHead bool
	// fromValue, change and milestone are isFromValue's,
	// isChangeAmount's and isMilestone's readings.
	fromValue, change, milestone bool
}

// subject returns figureSubject's text for fig, described by ff, as
// written.
func (ff *figureFacts) subject(para *corpus.Paragraph, fig *corpus.Figure) string {
	return subjectText(para.Text, int(ff.subjectStart), ff.subjectWithContext, fig)
}

// subject returns figureSubject's text for fig of para, described by ff,
// in the folded text (see text), where question words are looked for.
func (f *paraFacts) subject(para *corpus.Paragraph, ff *figureFacts, fig *corpus.Figure) string {
	return subjectText(f.text(para), int(ff.subjectStart), ff.subjectWithContext, fig)
}

// text returns the text of para, whose facts f are, with traditional
// characters folded to simplified ones: the text that question words are
// looked for in. Its byte offsets are para.Text's; excerpts are cut from
// para.Text.
func (f *paraFacts) text(para *corpus.Paragraph) string {
	if f.folded != "" {
		return f.folded
	}
	return para.Text
}

// textU returns the unquoted text of para, whose facts f are.
func (f *paraFacts) textU(para *corpus.Paragraph) string {
	if f.marks == nil {
		return f.text(para)
	}
	return unquoteSpan(f.text(para), 0, len(para.Text), f.marks)
}

// sentenceU returns the unquoted text of the sentence s of para, whose
// facts f are.
func (f *paraFacts) sentenceU(para *corpus.Paragraph, s *sentenceFacts) string {
	if !s.quoted {
		return f.text(para)[s.start:s.end]
	}
	return unquoteSpan(f.text(para), int(s.start), int(s.end), f.marks)
}

// paraCache holds the facts of the paragraphs answers have looked at,
// keyed by report ID and paragraph ordinal: not by the index's
// *corpus.Paragraph, which would keep in memory every report the index's
// bounded cache lets go (and a report loaded again would be keyed anew).
// A report's paragraphs do not change within an index generation, and
// Refresh drops the cache. It is cleared whenever it holds maxCachedParas
// paragraphs.
type paraCache struct {
	m sync.Map     // paraKey -> *paraFacts
	n atomic.Int64 // paragraphs in m, about
	// sections interns the unquoted section paths: the paragraphs of a
	// section share one.
	sections sync.Map // string -> string
}

// facts returns para's facts, computing them on first use.
func (c *paraCache) facts(rep *corpus.Report, para *corpus.Paragraph) *paraFacts {
	key := paraKey{rep.ID, para.Seq}
	if f, ok := c.m.Load(key); ok {
		return f.(*paraFacts)
	}
	section := strings.Join(para.SectionPath(), " ")
	sectionU, ok := c.sections.Load(section)
	if !ok {
		sectionU, _ = c.sections.LoadOrStore(section, unquote(corpus.FoldHan(section)))
	}
	f := &paraFacts{sectionU: sectionU.(string), marks: quoteMarkOffsets(para.Text)}
	if folded := corpus.FoldHan(para.Text); folded != para.Text {
		f.folded = folded
	}
	text := f.text(para)
	f.sectionSig = textSig(f.sectionU)
	f.wide = wideTextSig(text)
	if f.marks != nil && !utf8.ValidString(text) {
		// (See textSigU.)
		u := wideTextSig(f.textU(para))
		for i := range f.wide {
			f.wide[i] |= u[i]
		}
	}
	f.hYear, f.hKind = headingTime(rep, para)
	// A paragraph opened by "刚刚过去的2017年，…" speaks of that year in
	// the sentences that follow and say no period of their own (a year
	// named later, "工业总产值1977年比1976年增长…", is that sentence's own).
	// Likewise a sentence opening several years ("过去五年，…") speaks for
	// the sentences after it that say no period of their own ("一是…。
	// 城镇新增就业人数超过6400万人。").
	carry, carryKind := 0, timeUnknown
	split := zhtext.SplitSentences(text)
	f.sentences = make([]sentenceFacts, 0, len(split))
	for i, s := range split {
		sentence := text[s[0]:s[1]]
		sf := sentenceFacts{start: int32(s[0]), end: int32(s[1])}
		year, kind, ok := sentenceTime(rep, sentence)
		switch {
		case ok && kind == timeReview && year > 0 && i == 0:
			carry, carryKind = year, timeReview
		case ok && kind == timePeriod:
			carry, carryKind = 0, timePeriod
		case ok:
			carry, carryKind = 0, timeUnknown
		case carryKind != timeUnknown:
			year, kind, ok = carry, carryKind, true
		}
		sf.year, sf.kind, sf.ok = int16(year), kind, ok
		sf.quoted = hasQuoteMark(sentence)
		sf.sig = textSigU(sentence)
		sf.figures = uint8(min(255, figuresIn(para, s[0], s[1])))
		sf.heading = isHeadingSentence(para, sentence)
		sf.leadIn = leadIn(sentence)
		f.sentences = append(f.sentences, sf)
	}
	f.figures = make([]figureFacts, len(para.Figures))
	for i := range para.Figures {
		fig := &para.Figures[i]
		ff := &f.figures[i]
		ff.aggregate = aggregate.MatchString(fig.Context)
		ff.perHead = strings.Contains(fig.Context, "人均")
		for _, s := range f.sentences {
			// The sentence the figure starts in, as candidates reads it.
			if fig.Start < int(s.start) || fig.Start >= int(s.end) {
				continue
			}
			s0, s1 := int(s.start), int(s.end)
			ff.year = int32(yearBefore(text[s0:fig.Start]))
			a, b := clauseAround(text, s0, s1, fig.Start, fig.End)
			ff.clauseStart, ff.clauseEnd = int32(a), int32(b)
			a, with := figureSubject(text, s0, fig, para.Figures)
			ff.subjectStart, ff.subjectWithContext = int32(a), with
			clause, subject := text[ff.clauseStart:ff.clauseEnd], f.subject(para, ff, fig)
			ff.clauseSig, ff.subjectSig = textSigU(clause), textSigU(subject)
			ff.fromValue = isFromValue(text, s0, s1, fig)
			ff.change = isChangeAmount(text, s0, fig)
			ff.milestone = isMilestone(para, s0, s1, fig)
			break
		}
	}
	if c.n.Add(1) > maxCachedParas {
		c.reset()
	}
	if g, loaded := c.m.LoadOrStore(key, f); loaded {
		return g.(*paraFacts)
	}
	return f
}

// paraKey identifies a paragraph in paraCache.
type paraKey struct {
	report string
	seq    int
}

// maxCachedParas bounds paraCache: about the paragraphs of 200 reports,
// as many as the index's report cache holds by default.
const maxCachedParas = 20000

// reset drops every paragraph's facts (reports were added or removed).
func (c *paraCache) reset() {
	c.m.Clear()
	c.sections.Clear()
	c.n.Store(0)
}

// within returns ts with each term's alternatives cut to those that can
// count in a text made of pieces of text (a sentence of a paragraph, the
// sentence with the section): present gives the same on such a text
// whether it is given ts or within(ts, text). An alternative is dropped
// when text holds neither it nor (for three characters or more) any of
// its two-character pieces; one with a space is kept, as it could match
// across the joins. ts itself is returned when nothing is dropped. text
// may itself be given in pieces, as to present.
func within(ts []term, text ...string) []term {
	return withinWide(ts, text, nil, nil)
}

// withinWide is within with rune signatures of the pieces of text, as
// presentWide takes them.
func withinWide(ts []term, text []string, sigs []uint64, wide *wideSig) []term {
	var out []term
	for i, t := range ts {
		keep := t.alts[:0:0]
		dropped := false
		for j, a := range t.alts {
			if mayCountWide(a, text, sigs, wide) {
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
// of pieces of text (the pieces joined by spaces).
func mayCount(a string, text []string) bool {
	return mayCountWide(a, text, nil, nil)
}

// mayCountWide is mayCount with rune signatures of the pieces of text,
// as presentWide takes them.
func mayCountWide(a string, text []string, sigs []uint64, wide *wideSig) bool {
	if strings.Contains(a, " ") {
		return true
	}
	var aSig uint64
	if sigs != nil {
		aSig = needleSig(a)
	}
	if hasSubSkip(text, sigs, a, aSig, wide != nil && !wide.mayHold(a)) {
		return true
	}
	if utf8.RuneCountInString(a) < 3 {
		return false
	}
	return piecesIn(a, text, sigs, wide, true) > 0
}

// dfCache remembers the index's document frequencies of the words
// questions are cut into, and its number of paragraphs: reading one opens
// an index reader, which for a question's dozen or two words was a
// sixteenth of answering it. Refresh drops it (the index changed); it is
// also cleared whenever it holds maxCachedDF words, so that questions
// with ever new words do not grow it without bound.
type dfCache struct {
	ix    *index.Index
	m     sync.Map     // word -> int
	n     atomic.Int64 // words in m, about
	paras atomic.Int64 // NumParagraphs()+1; 0 when not read yet
}

// maxCachedDF bounds dfCache: some 100 KB.
const maxCachedDF = 4096

// DocFreq returns ix.DocFreq(word).
func (c *dfCache) DocFreq(word string) int {
	if df, ok := c.m.Load(word); ok {
		return df.(int)
	}
	df := c.ix.DocFreq(word)
	if c.n.Add(1) > maxCachedDF {
		c.reset()
	}
	c.m.Store(word, df)
	return df
}

// NumParagraphs returns ix.NumParagraphs().
func (c *dfCache) NumParagraphs() int {
	if n := c.paras.Load(); n > 0 {
		return int(n - 1)
	}
	n := c.ix.NumParagraphs()
	c.paras.Store(int64(n) + 1)
	return n
}

// reset forgets what was read.
func (c *dfCache) reset() {
	c.m.Clear()
	c.n.Store(0)
	c.paras.Store(0)
}

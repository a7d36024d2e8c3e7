package answer

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
)

// TestWithinKeepsCoverage checks, on the sample report, that the terms cut
// to a paragraph's words give every sentence of it (alone and with the
// section) the coverage the full terms give, that figureTerms cuts them
// as within does the paragraph with its figures' contexts, and that the
// facts kept for a paragraph (sentences, periods, figures' years, clauses
// and subjects) are those computed afresh.
func TestWithinKeepsCoverage(t *testing.T) {
	e, r := sampleEngine(t)
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
			pieces := []string{unquote(para.Text), pf.sectionU}
			for _, f := range para.Figures {
				pieces = append(pieces, unquote(f.Context))
			}
			if got, want := figureTerms(terms, pTerms, para), within(terms, pieces...); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: figureTerms %v, within the paragraph and contexts %v", raw, para.ID, got, want)
			}
			if pf.textU(para) != unquote(para.Text) || !reflect.DeepEqual(pf.marks, quoteMarkOffsets(para.Text)) {
				t.Fatalf("%s: quote marks kept at %v, unquoted text %q", para.ID, pf.marks, pf.textU(para))
			}
			sentences := zhtext.SplitSentences(para.Text)
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
				if int(sf.start) != s[0] || int(sf.end) != s[1] || pf.sentenceU(para, sf) != unquote(sentence) {
					t.Fatalf("%s: sentence %d kept as %d–%d %q", para.ID, j, sf.start, sf.end, pf.sentenceU(para, sf))
				}
				for fi := range para.Figures {
					f := &para.Figures[fi]
					if f.Start < s[0] || f.Start >= s[1] {
						continue
					}
					ff := &pf.figures[fi]
					if y := yearBefore(pf.text(para)[s[0]:f.Start]); int(ff.year) != y {
						t.Errorf("%s: figure %s year %d kept, %d computed", para.ID, f.Text, ff.year, y)
					}
					if a := aggregate.MatchString(f.Context); ff.aggregate != a {
						t.Errorf("%s: figure %s aggregate %v kept, %v computed", para.ID, f.Text, ff.aggregate, a)
					}
					ca, cb := clauseAround(para.Text, s[0], s[1], f.Start, f.End)
					from, with := figureSubject(para.Text, s[0], f, para.Figures)
					kept := []any{ff.clauseStart, ff.clauseEnd, ff.subjectStart, ff.subjectWithContext,
						ff.perHead, ff.fromValue, ff.change, ff.milestone}
					computed := []any{int32(ca), int32(cb), int32(from), with,
						strings.Contains(f.Context, "人均"), isFromValue(para.Text, s[0], s[1], f), isChangeAmount(para.Text, s[0], f),
						isMilestone(para, s[0], s[1], f)}
					if !reflect.DeepEqual(kept, computed) {
						t.Errorf("%s: figure %s facts %v kept, %v computed", para.ID, f.Text, kept, computed)
					}
					if got, want := ff.subject(para, f), subjectText(para.Text, from, with, f); got != want {
						t.Errorf("%s: figure %s subject %q kept, %q computed", para.ID, f.Text, got, want)
					}
				}
				if n := figuresIn(para, s[0], s[1]); int(sf.figures) != min(n, 255) || sf.heading != isHeadingSentence(para, sentence) || sf.leadIn != leadIn(sentence) {
					t.Errorf("%s: sentence %d kept with %d figures, heading %v, lead-in %v", para.ID, j, sf.figures, sf.heading, sf.leadIn)
				}
				y, k, ok := sentenceTime(r, sentence)
				if int(sf.year) != y || sf.kind != k || sf.ok != ok {
					t.Errorf("%s: sentence %d time %d/%d/%v kept, %d/%d/%v computed", para.ID, j, sf.year, sf.kind, sf.ok, y, k, ok)
				}
				for _, text := range []string{pf.sentenceU(para, sf), pf.sentenceU(para, sf) + " " + pf.sectionU} {
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

// TestPiecesAsJoined checks that present, coverageU, topicCoverages,
// within and bigramOverlap given a text in pieces give what they give on
// the pieces joined by spaces (present, what a reading form by form
// gives there), presentNear what present gives on a
// sentence and on it joined to its section, and leastCoverage what
// coverageKey gives when that is at least its least: on the pieces candidates
// passes (a sentence and its section, a clause and a figure's subject, a
// paragraph, its section and its figures' contexts) of the sample report,
// and on pieces that put a sector-qualified statistic at a join; and that
// bigramOverlap counts the question's Han bigrams as a rune-by-rune
// reading does.
func TestPiecesAsJoined(t *testing.T) {
	e, r := sampleEngine(t)
	var pieceSets [][]string
	for i := range r.Paragraphs {
		para := &r.Paragraphs[i]
		pf := e.paras.facts(r, para)
		all := []string{unquote(para.Text), pf.sectionU}
		for k := range pf.sentences {
			pieceSets = append(pieceSets, []string{pf.sentenceU(para, &pf.sentences[k]), pf.sectionU})
		}
		for fi := range para.Figures {
			f := &para.Figures[fi]
			ff := &pf.figures[fi]
			ctx := ff.subject(para, f)
			pieceSets = append(pieceSets, []string{unquote(para.Text[ff.clauseStart:ff.clauseEnd]), unquote(ctx)},
				[]string{para.Text[ff.clauseStart:ff.clauseEnd], ctx})
			all = append(all, unquote(f.Context))
		}
		pieceSets = append(pieceSets, all)
	}
	pieceSets = append(pieceSets,
		[]string{"海洋", "生产总值突破2万亿元"}, []string{"全省", "生产总值增长"}, []string{"生产总值", "海洋生产总值"},
		[]string{"单位生产总值", "能耗下降3%", "", "行政", "复议案件"}, []string{"", ""}, []string{"网上办", "一次办率"})
	questions := []string{"去年办理了多少件行政复议案件？", "网上办理率是多少", "“八五”普法有什么进展", "行政执法人员培训了多少人次", "GDP是多少", "海洋生产总值", "十堰GDP是多少"}
	for _, raw := range questions {
		q := parseQuestion(raw, e.dir)
		terms := questionTerms(e.ix, q.content)
		// An alternative with a space may match across a join.
		terms = append(terms, term{word: "复议", alts: []string{"行政 复议"}, w: 1})
		bigrams := hanBigrams(q.phrase)
		for _, ps := range pieceSets {
			joined := strings.Join(ps, " ")
			for _, tm := range terms {
				if a, b := present(tm, ps...), presentByForm(tm, joined); a != b {
					t.Errorf("%s: present(%v, %q) = %v, joined %v", raw, tm.alts, ps, a, b)
				}
				if len(ps) == 2 {
					pS, pN := presentNear(tm, ps[0], ps[1], ^uint64(0), ^uint64(0))
					if qS, qN := presentNear(tm, ps[0], ps[1], textSig(ps[0]), textSig(ps[1])); qS != pS || qN != pN {
						t.Errorf("%s: presentNear(%v, %q) with signatures %v, %v; without %v, %v", raw, tm.alts, ps, qS, qN, pS, pN)
					}
					if wS, wN := present(tm, ps[0]), present(tm, joined); pS != wS || pN != wN {
						t.Errorf("%s: presentNear(%v, %q) = %v, %v; want %v, %v", raw, tm.alts, ps, pS, pN, wS, wN)
					}
				}
			}
			if a, b := coverageU(terms, ps...), coverageU(terms, joined); a != b {
				t.Errorf("%s: coverageU(%q) = %v, joined %v", raw, ps, a, b)
			}
			for _, least := range []float64{0, 0.3, 0.6, 1} {
				key := keyTerm(terms)
				sigs := make([]uint64, len(ps))
				for k, p := range ps {
					sigs[k] = textSig(p)
				}
				wide := wideTextSig(ps[0])
				cov, kp, ok := newLeastCoverage(terms, least).coverage(key, ps, sigs, &wide)
				if wc, wk := coverageKey(terms, key, ps...); ok != (wc >= least) || ok && (cov != wc || kp != wk) {
					t.Errorf("%s: least %v coverage(%q) = %v, %v, %v; coverageKey %v, %v", raw, least, ps, cov, kp, ok, wc, wk)
				}
			}
			topic := topicTerms(terms)
			if a, b := topicCoverages(terms, len(topic) < len(terms), ps, nil); a != coverageU(terms, joined) || b != coverageU(topic, joined) {
				t.Errorf("%s: topicCoverages(%q) = %v, %v; joined %v, %v", raw, ps, a, b, coverageU(terms, joined), coverageU(topic, joined))
			}
			if a, b := within(terms, ps...), within(terms, joined); !reflect.DeepEqual(a, b) {
				t.Errorf("%s: within(%q) = %v, joined %v", raw, ps, a, b)
			}
			if a, b := bigramOverlap(bigrams, ps, nil), bigramsByRune(q.phrase, joined); a != b {
				t.Errorf("%s: bigramOverlap(%q) = %v, by rune %v", raw, ps, a, b)
			}
		}
	}
}

// presentByForm is present on one text, read form by form: a form shown
// gives 1, else the best share of its two-character pieces (times 0.7).
func presentByForm(t term, text string) float64 {
	text = maskSectors(&t, text)
	best := 0.0
	for _, a := range t.alts {
		if strings.Contains(text, a) {
			return 1
		}
		r := []rune(a)
		if len(r) < 3 {
			continue
		}
		hit := 0
		for i := 0; i+1 < len(r); i++ {
			if strings.Contains(text, string(r[i:i+2])) {
				hit++
			}
		}
		best = max(best, 0.7*float64(hit)/float64(len(r)-1))
	}
	return best
}

// bigramsByRune is the share of the Han bigrams of phrase that occur in
// text, read rune by rune.
func bigramsByRune(phrase, text string) float64 {
	n, hit := 0, 0
	var prev rune
	for _, r := range phrase {
		if !unicode.Is(unicode.Han, r) {
			prev = 0
			continue
		}
		if prev != 0 {
			n++
			if strings.Contains(text, string([]rune{prev, r})) {
				hit++
			}
		}
		prev = r
	}
	if n == 0 {
		return 0
	}
	return float64(hit) / float64(n)
}

// TestWordRune compares wordRune with the tables on every rune.
func TestWordRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := wordRune(r), unicode.Is(unicode.Han, r) || unicode.IsLetter(r); got != want {
			t.Fatalf("wordRune(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestFigureTermsContexts checks that figureTerms keeps an alternative
// only a figure's context holds (its fillers dropped, 全县共办理 reads
// 全县办理), as within does.
func TestFigureTermsContexts(t *testing.T) {
	text := "全县共办理行政复议案件45件，“八五”普法全面推进。"
	para := &corpus.Paragraph{Text: text, Figures: corpus.ExtractFigures(text)}
	if len(para.Figures) == 0 || !strings.Contains(para.Figures[0].Context, "县办") {
		t.Fatalf("figures %+v: want a context with 县办", para.Figures)
	}
	terms := []term{
		{word: "县办", alts: []string{"县办", "市办"}, w: 1},
		{word: "八五普法", alts: []string{"八五普法", "七五普法"}, w: 1},
		{word: "复议", alts: []string{"复议"}, w: 1},
	}
	pTerms := within(terms, unquote(text), "法治政府建设")
	want := within(terms, unquote(text), "法治政府建设", para.Figures[0].Context)
	got := figureTerms(terms, pTerms, para)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("figureTerms = %v, want %v", got, want)
	}
	if reflect.DeepEqual(got, pTerms) {
		t.Errorf("the context added nothing to %v: the test shows nothing", pTerms)
	}
}

// TestDFCache checks that the cached document frequencies are the
// index's, and that the cache stays within maxCachedDF words.
func TestDFCache(t *testing.T) {
	e, err := OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for range 2 { // read, then cached
		for _, w := range []string{"行政", "复议", "案件", "没有的词", ""} {
			if got, want := e.dfs.DocFreq(w), e.ix.DocFreq(w); got != want {
				t.Errorf("DocFreq(%q) = %d, index %d", w, got, want)
			}
		}
		if got, want := e.dfs.NumParagraphs(), e.ix.NumParagraphs(); got != want || got == 0 {
			t.Errorf("NumParagraphs() = %d, index %d", got, want)
		}
	}
	for i := range maxCachedDF + 10 {
		e.dfs.DocFreq(fmt.Sprintf("词%d", i))
	}
	n := 0
	e.dfs.m.Range(func(_, _ any) bool { n++; return true })
	if n > maxCachedDF {
		t.Errorf("%d words cached, want at most %d", n, maxCachedDF)
	}
}

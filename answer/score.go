package answer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
)

// Answering a question is four steps, each its own function below:
//
//  1. search: one BM25 pass over the question's scope (and the parts of it
//     that must be represented: the newest reports, the national ones);
//  2. firstStage: the hits ranked on what is cheap to know (coverage of the
//     question's words, BM25, the report's prior); the best maxScored kept;
//  3. sentence: each kept paragraph's sentences scored, as a passage
//     (questions that ask no number) or through its figures;
//  4. figure: each figure scored by the rules of weights.go.
//
// choose (engine.go) then takes the best candidate that passes its tests.

// scorer holds what one question's scoring reads: the question, its terms
// and scope, and what is derived from them once.
type scorer struct {
	e        *Engine
	q        *question
	terms    []term
	sc       scope
	key      int // the heaviest term (keyTerm)
	rateStem string
	topic    []term
	bigrams  []bigram
	explain  bool
	slab     candidateSlab
	out      []*candidate
}

// candidates searches the scope and scores every figure (and sentence) of
// the paragraphs found, best first.
func (e *Engine) candidates(ctx context.Context, q *question, terms []term, sc scope) ([]*candidate, error) {
	hits, err := e.search(ctx, q, terms, sc)
	if err != nil || len(hits) == 0 {
		return nil, err
	}
	s := &scorer{e: e, q: q, terms: terms, sc: sc, key: keyTerm(terms), rateStem: rateStemOf(terms),
		topic: topicTerms(terms), bigrams: hanBigrams(q.phrase), explain: explaining(ctx)}
	firsts, err := s.firstStage(hits)
	if err != nil {
		return nil, err
	}
	for i := range firsts {
		s.paragraph(&firsts[i])
	}
	for i, c := range s.out {
		c.seq = i
	}
	slices.SortFunc(s.out, byScore)
	return s.out, nil
}

// search runs the question's words over its scope in one pass, with the
// parts of the scope whose best paragraphs must be among the hits.
func (e *Engine) search(ctx context.Context, q *question, terms []term, sc scope) ([]index.Hit, error) {
	var words []string
	for _, t := range terms {
		words = append(words, t.alts...)
	}
	// The content as written goes in too: the index's search-mode cut finds
	// compounds in it (受教育) that the question's accurate cut split.
	text := strings.Join(words, " ") + " " + q.content
	var subsets []index.Subset
	if newest := sc.newestIDs(q); len(newest) > 0 {
		// Without a year the newest report wins; its long paragraphs may
		// rank low among all of an issuer's reports, so its best are
		// taken as well.
		subsets = append(subsets, index.Subset{Reports: newest, Size: 20})
	}
	if national := sc.nationalIDs(q); len(national) > 0 {
		// A question naming no place prefers the national reports; with
		// common words their paragraphs may not rank among the best 60 of
		// all reports, so their best are taken as well.
		subsets = append(subsets, index.Subset{Reports: national, Size: 30})
	}
	hits, more, err := e.ix.SearchSubsets(ctx, index.Query{Text: text, Reports: sc.ids, Size: 60}, subsets...)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	for _, m := range more {
		hits = mergeHits(hits, m)
	}
	// Hits of equal score come from the index in no fixed order; the
	// candidates' ties break by the hits' order, so fix it.
	slices.SortStableFunc(hits, func(a, b index.Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.Paragraph, b.Paragraph)
	})
	return hits, nil
}

// firstStage ranks the hits on what is cheap to know of a paragraph (its
// coverage of the question, its BM25 score, the prior of its report) and
// keeps the best maxScored: only those are scored sentence by sentence and
// figure by figure, which is most of answering a question with common
// words.
func (s *scorer) firstStage(hits []index.Hit) ([]firstStage, error) {
	maxScore := hits[0].Score
	firsts := make([]firstStage, 0, len(hits))
	paraCov := newLeastCoverage(s.terms, minPassageCov)
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.Paragraph
	}
	reads := s.e.ix.Paragraphs(ids)
	for i, h := range hits {
		rep, para, err := reads[i].Report, reads[i].Paragraph, reads[i].Err
		if err != nil {
			return nil, fmt.Errorf("paragraph %s: %w", h.Paragraph, err)
		}
		pf := s.e.paras.facts(rep, para)
		// Quotes are dropped once per paragraph, not in every coverage.
		// The paragraph and its section are read as one text, given in
		// two pieces with their rune signatures (which rule out most
		// forms that are not there).
		textU := pf.textU(para)
		covPara, pKey, ok := paraCov.coverage(s.key, []string{textU, pf.sectionU}, []uint64{^uint64(0), pf.sectionSig}, &pf.wide)
		if !ok {
			// No candidate of this paragraph can be used: choose wants
			// more of the question's words in the paragraph, passages and
			// comparisons at least minPassageCov (a sentence's coverage is
			// at most its paragraph's).
			continue
		}
		f := firstStage{h: h, rep: rep, para: para, pf: pf, textU: textU, covPara: covPara}
		f.keyHit = pKey >= 0.99
		f.prior = s.e.prior(s.q, s.sc, rep, para)
		if maxScore > 0 {
			f.bm = h.Score / maxScore
		}
		f.rank = rankCovPara*f.covPara + rankBM25*f.bm + f.prior
		if f.covPara >= 0.6 || f.keyHit && f.covPara >= 0.55 {
			// Only such a paragraph can give the answer (choose's relevant).
			f.rank += rankCanAnswer
		}
		firsts = append(firsts, f)
	}
	return bestFirsts(firsts, maxScored), nil
}

// sentenceScore is what a sentence's candidates share.
type sentenceScore struct {
	f                          *firstStage
	sf                         *sentenceFacts
	start, end                 int
	pTerms                     []term
	covSent, covNear, covTopic float64
	base, fit                  float64 // fit is the year's part of base
	want, year                 int
	kind                       timeKind
	conflict                   bool
}

// paragraph scores the sentences of one kept paragraph.
func (s *scorer) paragraph(f *firstStage) {
	pf, para := f.pf, f.para
	// The sentences' coverages only look for what the paragraph has.
	pTerms := withinWide(s.terms, []string{f.textU, pf.sectionU}, []uint64{^uint64(0), pf.sectionSig}, &pf.wide)
	want := s.sc.wantYear(f.rep.Issuer)
	// The figures' texts (clause, subject, segment) are pieces of the
	// paragraph and of the figures' contexts: their coverages only look
	// for what those have (made on the first figure scored).
	var fTerms []term
	for i := range pf.sentences {
		sf := &pf.sentences[i]
		ss := sentenceScore{f: f, sf: sf, start: int(sf.start), end: int(sf.end), pTerms: pTerms, want: want}
		ss.covSent, ss.covNear, ss.covTopic = sentenceCoverages(pTerms, pf.sentenceU(para, sf), pf.sectionU, sf.sig, pf.sectionSig, len(s.topic) < len(s.terms))
		ss.year, ss.kind = int(sf.year), sf.kind
		if !sf.ok {
			ss.year, ss.kind = pf.hYear, pf.hKind
		}
		// A year named (explicitly or 去年/今年) rules out sentences known
		// to be about another year.
		ss.conflict = want > 0 && !s.sc.yearNote && ss.year != 0 && ss.year != want
		ss.fit = timeFit(s.q, s.sc, want, ss.year, ss.kind)
		ss.base = baseCovSent*ss.covSent + baseCovPara*f.covPara + baseCovNear*ss.covNear + baseBM25*f.bm + f.prior + ss.fit
		switch {
		case !s.q.wantsNumber:
			s.passage(&ss)
		case sf.figures == 0:
			// No number here, but the sentence may be the best passage to
			// show when the reports give no figure for the question.
			c := s.newCandidate(&ss, nil, ss.conflict)
			c.score = ss.base + passageCovSent*ss.covSent
			c.add(s.explain, "no figure", -noFigurePenalty)
		default:
			for j := range para.Figures {
				fig := &para.Figures[j]
				if fig.Start < ss.start || fig.Start >= ss.end {
					continue
				}
				if fTerms == nil {
					fTerms = figureTerms(s.terms, pTerms, para)
				}
				s.figure(&ss, fig, &pf.figures[j], fTerms)
			}
		}
	}
}

// newCandidate adds a candidate for a sentence (fig nil) or one of its figures.
func (s *scorer) newCandidate(ss *sentenceScore, fig *corpus.Figure, conflict bool) *candidate {
	c := s.slab.next()
	*c = candidate{rep: ss.f.rep, para: ss.f.para, fig: fig, sStart: ss.start, sEnd: ss.end, covNear: ss.covNear,
		covPara: ss.f.covPara, keyHit: ss.f.keyHit, year: ss.year, kind: ss.kind, covTopic: ss.covTopic, conflict: conflict}
	if s.explain {
		c.rules = append(c.rules, ruleHit{"coverage: sentence", baseCovSent * ss.covSent}, ruleHit{"coverage: paragraph", baseCovPara * ss.f.covPara},
			ruleHit{"coverage: with section", baseCovNear * ss.covNear}, ruleHit{"BM25", baseBM25 * ss.f.bm}, ruleHit{"prior of the report", ss.f.prior})
	}
	s.out = append(s.out, c)
	return c
}

// passage scores a sentence as the answer to a question that asks no number.
func (s *scorer) passage(ss *sentenceScore) {
	c := s.newCandidate(ss, nil, ss.conflict)
	sentence := ss.f.pf.text(ss.f.para)[ss.start:ss.end]
	c.score = ss.base + passageCovSent*ss.covSent + passageBigram*bigramOverlap(s.bigrams, []string{sentence}, nil)
	if s.explain {
		c.rules = append(c.rules, ruleHit{"year fits", ss.fit}, ruleHit{"passage: sentence coverage", passageCovSent * ss.covSent},
			ruleHit{"passage: wording", passageBigram * bigramOverlap(s.bigrams, []string{sentence}, nil)})
	}
	if s.q.target {
		c.add(s.explain, "target: lists figures", min(targetFigureMax, targetFigurePerFigure*float64(ss.sf.figures)))
	}
	if ss.sf.heading {
		c.add(s.explain, "heading", -headingPenalty)
	}
	if ss.sf.leadIn {
		c.add(s.explain, "lead-in", -leadInPenalty)
	}
}

// figure scores one figure of a sentence as the answer to a number question.
func (s *scorer) figure(ss *sentenceScore, f *corpus.Figure, ff *figureFacts, fTerms []term) {
	q, sc, para, rep, want, kind := s.q, s.sc, ss.f.para, ss.f.rep, ss.want, ss.kind
	fy := int(ff.year)
	if want > 0 && !sc.yearNote && fy > 0 && fy != want && !q.compare {
		// The sentence says the figure is of another year than asked.
		return
	}
	figConflict := ss.conflict
	figFit := ss.fit
	switch {
	case want > 0 && fy > 0 && fy != want:
		// No year asked: an older year stated loses to the newest.
		figFit = timeFit(q, sc, want, fy, timeReview)
	case want > 0 && fy == want && !(kind == timeTarget && ss.year == want):
		// "…增长到2025年的4.93万亿元": stated for the year asked (unless
		// the sentence plans that year: "一九五八年计划…").
		figConflict = false
		figFit = timeFit(q, sc, want, want, timeReview)
	case want > 0 && kind == timePeriod && want == rep.Year-1 && periodLevel(para.Text, ss.start, f):
		// A level a five-year review reached ("全省地区生产总值达到
		// 13697.5亿元") is that of its last year.
		figConflict = false
		figFit = timeFit(q, sc, want, want, timeReview)
	case want > 0 && !sc.yearNote && kind == timePeriod:
		// A five-year average is not the value of the year asked.
		figConflict = true
	}
	text := ss.f.pf.text(para)
	clause := text[ff.clauseStart:ff.clauseEnd]
	ctx := ss.f.pf.subject(para, ff, f)
	if otherRate(s.rateStem, ctx) {
		// 纠错率 asked, 出庭应诉率 stated: another rate.
		return
	}
	ctxU := unquote(ctx)
	// The clause and the subject are short: their rune signatures rule out
	// most of the terms' forms.
	covCtx := coverageSig(fTerms, []string{ctxU}, []uint64{ff.subjectSig})
	// A clause that inherits its subject ("…增长5.8%、总量达到60013亿元")
	// is read with it: the clause and the subject, joined by a space,
	// given in pieces.
	clauseU := unquote(clause)
	// figTopic is the clause's coverage by the topic's terms.
	clauseCtx, clauseCtxSigs := []string{clauseU, ctxU}, []uint64{ff.clauseSig, ff.subjectSig}
	covClause, figTopic := topicCoverages(fTerms, len(s.topic) < len(s.terms), clauseCtx, clauseCtxSigs)
	c := s.newCandidate(ss, f, figConflict)
	if figFit != ss.fit {
		c.year, c.kind = want, timeReview
		if fy > 0 {
			c.year = fy
		}
	}
	c.unitOK = unitFits(q.unit, f.Unit, f.BaseUnit)
	c.figTopic = figTopic
	if c.figTopic >= 0.2 && c.figTopic < 0.5 {
		// The heaviest word must be in the figure's part of the sentence: a
		// list "…；一般公共预算收入增长2.1%；…人均可支配收入分别达6.9万元"
		// keeps each statistic to its part. (Only figureFits reads figKey,
		// and only for such a figTopic: elsewhere it is not worth its cost.)
		c.figKey = s.key >= 0 && present(fTerms[s.key], unquote(segmentAround(text, ss.start, ss.end, f.Start)), ctxU) >= 0.5
	}
	prec, words := precision(fTerms, ctxU, ff.subjectSig), bigramOverlap(s.bigrams, []string{clause, ctx}, clauseCtxSigs)
	c.score = ss.base - ss.fit + figFit + figCovSubject*covCtx + figCovClause*covClause + figPrecision*prec + figBigram*words
	if s.explain {
		c.rules = append(c.rules, ruleHit{"year fits", figFit}, ruleHit{"figure: subject coverage", figCovSubject * covCtx},
			ruleHit{"figure: clause coverage", figCovClause * covClause}, ruleHit{"figure: subject precision", figPrecision * prec},
			ruleHit{"figure: wording", figBigram * words})
	}
	s.figureRules(c, f, ff, ctx)
}

// figureRules applies the named rules to a figure candidate.
func (s *scorer) figureRules(c *candidate, f *corpus.Figure, ff *figureFacts, ctx string) {
	q, x := s.q, s.explain
	if !q.normAggregate && ff.aggregate {
		// 年均/累计/平均 figures answer a different question than the
		// yearly value asked for.
		c.add(x, "aggregate (年均/累计)", -aggregatePenalty)
	}
	if ff.perHead && !strings.Contains(q.norm, "人均") {
		// Per head is another statistic than the total asked for.
		c.add(x, "per head (人均)", -perHeadPenalty)
	}
	if s.key >= 0 && modifiedSubject(ctx, s.terms[s.key], q.norm) {
		c.add(x, "key word qualified otherwise", -modifiedPenalty)
	}
	if isRate(f) && !q.percent {
		// "地区生产总值是多少" asks for the amount, not its growth.
		c.add(x, "a rate, an amount asked", -ratePenalty)
	}
	if ff.milestone {
		// "迈上6万亿元台阶，达到62661亿元": the round threshold is not the value.
		c.add(x, "milestone", -milestonePenalty)
	}
	if ff.fromValue {
		// "从4.16万亿元增加到5.67万亿元": the first is the old value.
		c.add(x, "from-value", -fromValuePenalty)
	}
	if !q.percent && ff.change && !asksChange(q.norm) {
		// "比上年增加505万吨", "损失钢产量2800万吨": the size of a change,
		// not the level asked for.
		c.add(x, "a change, a level asked", -changePenalty)
		c.change = true
	}
	switch {
	case q.unit == "":
	case c.unitOK:
		c.add(x, "unit asked ("+q.unit+")", unitBonus)
	default:
		c.add(x, "another unit than "+q.unit, -unitPenalty)
	}
	if q.counted != "" && countsNoun(c.para.Text, f, q.counted) {
		// "直达20个乡镇3000余个终端广播": the figure that counts the noun asked for.
		c.add(x, "counts "+q.counted, countedBonus)
	}
}

// ruleHit is one rule that added to a candidate's score, for --explain.
type ruleHit struct {
	name  string
	delta float64
}

// add adds delta to the candidate's score, and records the rule when
// explaining.
func (c *candidate) add(explain bool, rule string, delta float64) {
	c.score += delta
	if explain {
		c.rules = append(c.rules, ruleHit{rule, delta})
	}
}

package answer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/index"
)

// Engine answers questions over an index of reports. It is safe for
// concurrent use.
type Engine struct {
	ix    *index.Index
	owned bool   // Close closes ix
	stop  func() // unregisters refresh from ix's changes

	mu      sync.RWMutex
	reports []index.ReportInfo // newest first
	byID    map[string]*index.ReportInfo
	dir     *issuerDirectory

	paras paraCache // per-paragraph facts, question-independent
	dfs   dfCache   // the index's document frequencies of question words
}

// ReportSummary describes one indexed report for listings (/reports, govbot reports).
type ReportSummary struct {
	ReportRef
	Paragraphs int `json:"paragraphs"`
	Figures    int `json:"figures"`
}

// New returns an engine over an open index. The caller keeps ownership of ix
// and may add reports to it (index.Index.Add): the engine follows every
// change of ix, made through it or by another process, before Add returns.
func New(ix *index.Index) *Engine {
	e := &Engine{ix: ix}
	e.dfs.ix = ix
	e.refresh()
	e.stop = ix.OnChange(e.refresh)
	return e
}

// Open opens the index in the data directory dir. When dir holds no index,
// it falls back to the embedded default corpus (the Fang County sample report).
func Open(dir string) (*Engine, error) {
	ix, err := index.Open(dir)
	if errors.Is(err, index.ErrNoIndex) {
		return OpenDefault()
	}
	if err != nil {
		return nil, err
	}
	e := New(ix)
	e.owned = true
	return e, nil
}

// DefaultReport parses the embedded default corpus report.
func DefaultReport() (*corpus.Report, error) {
	return corpus.Parse(sample.FileName, sample.Fangxian, corpus.Meta{URL: sample.URL})
}

// OpenDefault returns an engine over the embedded default corpus, indexed in memory.
func OpenDefault() (*Engine, error) {
	r, err := DefaultReport()
	if err != nil {
		return nil, fmt.Errorf("default corpus: %w", err)
	}
	ix, err := index.OpenMemory([]*corpus.Report{r})
	if err != nil {
		return nil, fmt.Errorf("default corpus: %w", err)
	}
	e := New(ix)
	e.owned = true
	return e, nil
}

// Add adds or refreshes reports in the engine's index (see index.Index.Add);
// questions asked once it returns find them.
func (e *Engine) Add(ctx context.Context, reports ...*corpus.Report) (index.UpdateStats, error) {
	return e.ix.Add(ctx, reports...)
}

// Report returns the indexed report with ID id, paragraphs and figures
// included. The result is shared: callers must not modify it.
func (e *Engine) Report(id string) (*corpus.Report, error) { return e.ix.Report(id) }

// refresh re-reads the catalog after reports were added to or removed from
// the index, so that issuer and year scoping see them.
func (e *Engine) refresh() {
	reps := e.ix.Reports()
	byID := make(map[string]*index.ReportInfo, len(reps))
	var issuers []string
	seen := map[string]bool{}
	for i := range reps {
		byID[reps[i].ID] = &reps[i]
		if is := reps[i].Issuer; is != "" && !seen[is] {
			seen[is] = true
			issuers = append(issuers, is)
		}
	}
	dir := newIssuerDirectory(issuers)
	dir.isPlace = isPlaceName
	e.mu.Lock()
	e.reports, e.byID, e.dir = reps, byID, dir
	e.mu.Unlock()
	e.paras.reset()
	e.dfs.reset()
}

// nationalIssuer is the issuer of the national government work reports.
const nationalIssuer = "国务院"

// isPlaceName reports whether the dictionary tags w as a place name.
func isPlaceName(w string) bool {
	_, pos, ok := index.Lookup(w)
	return ok && pos == "ns"
}

// Close stops following the index and releases it when the engine opened it.
func (e *Engine) Close() error {
	e.stop()
	if e.owned {
		return e.ix.Close()
	}
	return nil
}

// Reports lists the indexed reports, newest first.
func (e *Engine) Reports() []ReportSummary {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]ReportSummary, 0, len(e.reports))
	for i := range e.reports {
		ri := &e.reports[i]
		out = append(out, ReportSummary{ReportRef: refOf(&ri.Meta), Paragraphs: ri.Paragraphs, Figures: ri.Figures})
	}
	return out
}

// refOf is the citation of a report with metadata r.
func refOf(r *corpus.Meta) ReportRef {
	return ReportRef{ID: r.ID, Title: r.Title, Issuer: r.Issuer, Published: r.Published, Year: r.Year, URL: r.URL}
}

// Ask answers one question on its own, outside any conversation. It
// returns an error only when the index fails; a question the reports do not
// answer gives an Answer with Answered false.
func (e *Engine) Ask(ctx context.Context, question string) (*Answer, error) {
	return e.AskIn(ctx, nil, question)
}

// AskIn answers one question of the conversation s (nil for none): a
// question that refers to "this report" (这份报告) is about the report of
// the conversation's previous answer, and the answer becomes the new focus.
func (e *Engine) AskIn(ctx context.Context, s *Session, question string) (*Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a, q, err := e.ask(ctx, question, s)
	if err != nil {
		return nil, err
	}
	a.Question = question
	if a.Answers == nil {
		a.Answers = []Passage{}
	}
	a.Reply = RenderText(a)
	s.remember(a, q)
	return a, nil
}

// understand parses a message: the sentence that asks (with the place a
// friendly sentence before it names), merged with the conversation when
// it is a follow-up.
func (e *Engine) understand(raw string, s *Session) *question {
	e.mu.RLock()
	dir := e.dir
	e.mu.RUnlock()
	text, context := focusQuestion(raw)
	q := parseQuestion(text, dir)
	if context != "" && len(q.issuers) == 0 && q.unknownPlace == "" {
		// "我是房县的。去年办了多少件行政复议案件？", "我是四川的。今年省里…":
		// the place the message names says which place the question's
		// 省里 is.
		cq := parseQuestion(context, dir)
		switch {
		case len(cq.issuers) > 0 || cq.unknownPlace != "":
			q.issuers, q.unknownPlace, q.place = cq.issuers, cq.unknownPlace, ""
		case q.place == "":
			q.place = cq.place
		}
	}
	return followUp(q, s.previous())
}

func (e *Engine) ask(ctx context.Context, raw string, s *Session) (*Answer, *question, error) {
	if strings.TrimSpace(raw) == "" {
		return &Answer{Reason: "请输入一个问题，例如“去年办理了多少件行政复议案件？”"}, nil, nil
	}
	if err := CheckLength(raw, MaxQuestionRunes); err != nil {
		return &Answer{Reason: err.Error()}, nil, nil
	}
	if smallTalk.MatchString(normalize(raw)) {
		return &Answer{Reason: "你好！我回答政府工作报告里的问题，并给出原文和出处，例如“2024年全国城镇新增就业多少人？”“湖北去年地区生产总值是多少？”"}, nil, nil
	}
	q := e.understand(raw, s)
	if q.unknownPlace != "" {
		if a, err := e.askAbove(ctx, q, s.Focus()); a != nil || err != nil {
			return a, q, err
		}
		return e.abstain(q, e.noReportReason(q.unknownPlace), nil), q, nil
	}
	if reason := e.resolvePlace(q, s); reason != "" {
		return e.abstain(q, reason+e.coverage(nil), nil), q, nil
	}
	a, err := e.answer(ctx, q, s.Focus())
	return a, q, err
}

// answer answers a question understood.
func (e *Engine) answer(ctx context.Context, q *question, focus string) (*Answer, error) {
	sc := e.scope(q, focus)
	if sc.empty != "" {
		return e.abstain(q, sc.empty+e.coverage(sc.all), nil), nil
	}
	if q.meta != metaNone {
		return e.answerMeta(ctx, q, sc)
	}
	terms := questionTerms(&e.dfs, q.content)
	w := explainer(ctx)
	if w != nil {
		explainQuestion(w, q, terms, sc)
	}
	if len(terms) == 0 {
		return e.abstain(q, "没有看懂要问的内容，请说得具体一些，例如“办理了多少件行政复议案件？”", sc.all), nil
	}
	if q.compare && q.wantsNumber {
		if a, err := e.answerCompare(ctx, q, terms, sc); a != nil || err != nil {
			return a, err
		}
	}
	cands, err := e.candidates(ctx, q, terms, sc)
	if err != nil {
		return nil, err
	}
	var a *Answer
	if len(q.placeChoices) > 1 {
		a = e.choosePlace(q, terms, sc, cands)
	}
	if a == nil {
		a = e.choose(q, terms, sc, cands)
	}
	if a.Answered {
		e.noteYear(q, sc, a)
	}
	if w != nil {
		explainChoice(w, q, cands, a)
	}
	return a, nil
}

// smallTalk matches greetings and thanks: not questions about the reports.
var smallTalk = regexp.MustCompile(`(?i)^(你好|您好|hi|hello|hey|嗨|哈喽|在吗|在不在|谢谢|谢谢你|多谢|感谢|再见|拜拜|早上好|晚上好|下午好)[!！。.~～ 啊呀]*$`)

// scope is the set of reports a question is about.
type scope struct {
	// ids restricts the search; nil means every report.
	ids []string
	// newest marks, per issuer in scope, its newest report: without a year
	// the newest report wins.
	newest map[string]bool
	// newestYear is, per issuer in scope, the year of its newest report:
	// 去年/今年/明年 count from it.
	newestYear map[string]int
	// prefer marks reports whose review or targets match the year asked.
	prefer map[string]bool
	// intent is "review" or "target" when the question implies a section.
	intent string
	// all are the reports in scope by issuer alone (for suggestions).
	all []*index.ReportInfo
	// empty is set when nothing can be in scope, with the reason.
	empty string
	// multiIssuer is true when the scope spans several issuers.
	multiIssuer bool
	// yearNote is set when the question named no year: the reply says
	// which year answers.
	yearNote bool
	// year is the explicit year asked (0 for none); relative is the
	// relative year asked when hasRelative.
	year        int
	relative    int
	hasRelative bool
}

// wantYear returns the year the question asks about for a report of
// issuer, 0 when it names none.
func (sc *scope) wantYear(issuer string) int {
	switch {
	case sc.year > 0:
		return sc.year
	case sc.hasRelative && sc.newestYear[issuer] > 0:
		return sc.newestYear[issuer] + sc.relative
	case sc.yearNote && sc.intent == "review" && sc.newestYear[issuer] > 0:
		// No year named: the newest report's review wins.
		return sc.newestYear[issuer] - 1
	case sc.yearNote && sc.intent == "target":
		return sc.newestYear[issuer]
	}
	return 0
}

// scope resolves the question's issuers and years to reports. A work report
// delivered in year Y reviews Y−1 and sets targets for Y. focus is the report
// the conversation is about, used when the question says "this report".
func (e *Engine) scope(q *question, focus string) scope {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var sc scope
	for i := range e.reports {
		ri := &e.reports[i]
		if len(q.issuers) > 0 && !contains(q.issuers, ri.Issuer) {
			continue
		}
		if q.reportYear > 0 && ri.Year != q.reportYear {
			continue
		}
		if sc.all == nil {
			sc.all = make([]*index.ReportInfo, 0, len(e.reports)-i)
		}
		sc.all = append(sc.all, ri)
	}
	if len(sc.all) == 0 {
		switch {
		case q.reportYear > 0 && len(q.issuers) > 0:
			sc.empty = fmt.Sprintf("没有收录%s%d年的报告。", strings.Join(q.issuers, "、"), q.reportYear)
		case q.reportYear > 0:
			sc.empty = fmt.Sprintf("没有收录%d年的报告。", q.reportYear)
		case len(q.issuers) > 0:
			sc.empty = fmt.Sprintf("没有收录%s的报告。", strings.Join(q.issuers, "、"))
		default:
			sc.empty = "还没有收录任何报告。"
		}
		return sc
	}
	if q.deictic && len(q.issuers) == 0 && len(q.years) == 0 && !q.hasRelative {
		if ri, ok := e.byID[focus]; ok {
			// "这份报告" is the report the conversation is about.
			sc.all = []*index.ReportInfo{ri}
		}
	}
	// e.reports is newest first: an issuer's first report in scope is its
	// newest.
	sc.newest = map[string]bool{}
	sc.newestYear = map[string]int{}
	for _, ri := range sc.all {
		if _, seen := sc.newestYear[ri.Issuer]; !seen {
			sc.newest[ri.ID] = true
			sc.newestYear[ri.Issuer] = ri.Year
		}
	}
	sc.multiIssuer = len(sc.newestYear) > 1
	sc.prefer = map[string]bool{}
	if q.wantsNumber {
		// A figure asked without "目标/计划" is a result: the review.
		sc.intent = "review"
		if q.target {
			sc.intent = "target"
		}
	}

	switch {
	case len(q.years) > 0 && !q.compare:
		y := q.years[0]
		sc.year = y
		var review, delivered []*index.ReportInfo
		for _, ri := range sc.all {
			switch ri.Year {
			case y + 1:
				review = append(review, ri)
			case y:
				delivered = append(delivered, ri)
			}
		}
		var pick []*index.ReportInfo
		if q.target {
			pick, sc.intent = delivered, "target"
			for _, ri := range delivered {
				sc.prefer[ri.ID] = true
			}
			pick = append(pick, review...)
		} else {
			pick, sc.intent = review, "review"
			for _, ri := range review {
				sc.prefer[ri.ID] = true
			}
			// The report delivered in Y also speaks of Y (its targets, or a
			// 年度 report about Y itself); it stays in scope, less preferred.
			pick = append(pick, delivered...)
		}
		if len(pick) == 0 {
			sc.empty = fmt.Sprintf("没有找到关于%d年的报告。", y)
			return sc
		}
		for _, ri := range pick {
			sc.ids = append(sc.ids, ri.ID)
		}
	case q.hasRelative && !q.compare:
		sc.relative, sc.hasRelative = q.relative, true
		for _, ri := range sc.all {
			// The newest report of each issuer, and for 去年 also the one
			// before it (its targets were for that year).
			want := sc.newestYear[ri.Issuer] + q.relative
			if ri.Year == want || ri.Year == want+1 {
				sc.ids = append(sc.ids, ri.ID)
				if ri.Year == want+1 && !q.target || ri.Year == want && q.target {
					sc.prefer[ri.ID] = true
				}
			}
		}
		if len(sc.ids) == 0 {
			sc.empty = "收录的报告中没有这一年的内容。"
			return sc
		}
		switch {
		case q.target || q.relative >= 0:
			sc.intent = "target"
		default:
			sc.intent = "review"
		}
	default:
		if len(q.issuers) > 0 || len(sc.all) == 1 || q.reportYear > 0 {
			for _, ri := range sc.all {
				sc.ids = append(sc.ids, ri.ID)
			}
		}
		sc.yearNote = true
	}
	sort.Strings(sc.ids)
	return sc
}

// has reports whether report id is in sc.ids, which scope sorts: over
// thousands of reports a linear look-up per national report was a
// twentieth of answering.
func (sc *scope) has(id string) bool {
	_, found := slices.BinarySearch(sc.ids, id)
	return found
}

// nationalIDs returns the national reports in scope when the question names
// no place among several issuers; nil otherwise.
func (sc *scope) nationalIDs(q *question) []string {
	if !sc.multiIssuer || len(q.issuers) > 0 {
		return nil
	}
	var out []string
	for _, ri := range sc.all {
		if ri.Issuer != nationalIssuer {
			continue
		}
		if len(sc.ids) == 0 || sc.has(ri.ID) {
			out = append(out, ri.ID)
		}
	}
	return out
}

// newestIDs returns, when the question names no year, the newest report of
// each issuer it names (at most 6), or of the national reports when it
// names none among several issuers; nil otherwise.
func (sc *scope) newestIDs(q *question) []string {
	if !sc.yearNote {
		return nil
	}
	want := func(issuer string) bool {
		switch {
		case len(q.issuers) > 0:
			return contains(q.issuers, issuer)
		case sc.multiIssuer:
			return issuer == nationalIssuer
		}
		return true
	}
	var out []string
	for _, ri := range sc.all {
		if sc.newest[ri.ID] && want(ri.Issuer) {
			out = append(out, ri.ID)
		}
	}
	if len(out) > 6 {
		return nil
	}
	return out
}

// mergeHits adds to hits those of more not already there, best first.
func mergeHits(hits, more []index.Hit) []index.Hit {
	seen := make(map[string]bool, len(hits))
	for _, h := range hits {
		seen[h.Paragraph] = true
	}
	for _, h := range more {
		if !seen[h.Paragraph] {
			hits = append(hits, h)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// rateStemOf returns what a question's named rate is of (纠错 of 纠错率,
// cut in two by the segmenter), "" when it names none.
func rateStemOf(ts []term) string {
	for i, t := range ts {
		if t.suffix && t.word == "率" && i > 0 && !ts[i-1].suffix {
			return ts[i-1].word
		}
	}
	return ""
}

// otherRate reports whether a figure's subject names a rate (…率) that
// shares no character with the rate the question names: 出庭应诉率 is not
// 纠错率, while 一次办率 may be 网上办理率 worded otherwise.
func otherRate(stem, subject string) bool {
	if stem == "" || !strings.HasSuffix(subject, "率") {
		return false
	}
	name := strings.TrimSuffix(subject, "率")
	for _, r := range stem {
		if strings.ContainsRune(name, r) {
			return false
		}
	}
	return true
}

// isRelevant reports whether a candidate says something about the
// question: the heaviest word is there and most of the question's words
// are near. Users paraphrase (网上办理率 for 网上办、一次办率), so a passage
// that shows most of the words near the figure counts even when the
// heaviest one is missing. Place names (深圳, 长江) locate the topic but
// are not the topic: the words that say what is asked must be near too.
func isRelevant(c *candidate) bool {
	return ((c.keyHit && c.covPara >= 0.55 && c.covNear >= 0.4) || (c.covNear >= 0.6 && c.covPara >= 0.6)) && c.covTopic >= 0.4
}

// rejectKind is why choose does not take a candidate as the answer.
type rejectKind int

const (
	taken rejectKind = iota
	notRelevant
	otherYear
	figureNotForm
	noFigure
	otherUnit
	countsOther
	changeNotLevel
)

// rejection says why choose does not take a candidate as the answer,
// taken when it does. It runs for every candidate ranked above the answer,
// so it only compares; explain words the reason (why).
func rejection(q *question, c *candidate) rejectKind {
	switch {
	case !isRelevant(c):
		return notRelevant
	case c.conflict:
		return otherYear
	case q.form > formCount && c.fig != nil:
		return figureNotForm
	case q.wantsNumber && c.fig == nil:
		return noFigure
	case q.wantsNumber && q.unit != "" && !c.unitOK:
		return otherUnit
	case c.fig != nil && !c.figureFits():
		return countsOther
	case c.fig != nil && c.change:
		return changeNotLevel
	}
	return taken
}

// why words a rejection of c for --explain, "" when c is taken.
func why(q *question, c *candidate) string {
	switch rejection(q, c) {
	case notRelevant:
		return fmt.Sprintf("not relevant (sentence+section %.2f, paragraph %.2f, topic %.2f, key word here %v)", c.covNear, c.covPara, c.covTopic, c.keyHit)
	case otherYear:
		return fmt.Sprintf("about another year (%d)", c.year)
	case figureNotForm:
		return "a figure, a " + formNames[q.form] + " asked"
	case noFigure:
		return "no figure"
	case otherUnit:
		return "another unit than " + q.unit
	case countsOther:
		return fmt.Sprintf("the figure counts something else (its clause has %.2f of the topic)", c.figTopic)
	case changeNotLevel:
		return "the figure is a change, a level asked"
	}
	return ""
}

// noNumberReason is the caveat above the nearest text when the reports
// speak of the topic but give no figure for it.
const noNumberReason = "报告没有给出这一项的具体数字，以下是最相关的原文。"

// countsNoun reports whether figure f in text is followed by noun (or its
// first two characters): 20个乡镇 counts 乡镇.
func countsNoun(text string, f *corpus.Figure, noun string) bool {
	after := text[f.End:]
	if strings.HasPrefix(after, noun) {
		return true
	}
	r := []rune(noun)
	return len(r) > 2 && strings.HasPrefix(after, string(r[:2]))
}

// minPassageCov is the least paragraph coverage (covPara) of a candidate
// shown as a passage; the answer itself and comparisons want more.
const minPassageCov = 0.3

// candidate is one possible answer: a figure in a sentence, or (fig nil) a
// passage.
type candidate struct {
	rep     *corpus.Report
	para    *corpus.Paragraph
	fig     *corpus.Figure
	sStart  int // sentence byte range in para.Text
	sEnd    int
	score   float64
	covNear float64 // sentence + section coverage
	covPara float64 // paragraph + section coverage
	// covTopic is the sentence + section coverage of the terms that are
	// not place names.
	covTopic float64
	// figTopic is that coverage in the figure's own clause and subject.
	figTopic float64
	// conflict is set when the sentence is about another year than asked.
	conflict bool
	// figKey is set when the figure's clause and subject show the heaviest term.
	figKey bool
	keyHit bool // the heaviest term is in the paragraph or its section
	unitOK bool
	// change is set when the figure is the size of a change (增加X) and
	// the question asks for a level.
	change bool
	year   int      // the year the sentence speaks of, 0 when unknown
	kind   timeKind // review, target or period
	// rules are the rules that added to score, recorded when explaining.
	rules []ruleHit
	// seq is the candidate's place in the order candidates made them
	// (the search's order): it breaks ties between scores.
	seq int
}

// byScore orders candidates best first, ties in the order they were made:
// the order a stable sort by score gives, without its cost (a tenth of
// candidates' own time on questions with many figures).
func byScore(a, b *candidate) int {
	switch {
	case a.score > b.score:
		return -1
	case a.score < b.score:
		return 1
	}
	return a.seq - b.seq
}

// candidateSlab hands out candidates from chunks: a question scores
// from a few to hundreds, and allocating each was a tenth of a question's
// allocations.
type candidateSlab []candidate

// next returns a new zero candidate, from a new chunk (twice the last
// one, from 32 to 512) when the last is full.
func (s *candidateSlab) next() *candidate {
	if len(*s) == cap(*s) {
		*s = make([]candidate, 0, min(512, max(32, 2*cap(*s))))
	}
	*s = (*s)[:len(*s)+1]
	return &(*s)[len(*s)-1]
}

// figureFits reports whether the candidate's figure counts what was asked:
// the sentence may be on topic while this figure counts something else
// ("武汉跨入地区生产总值两万亿级城市行列，…黄冈3个…").
func (c *candidate) figureFits() bool {
	return c.figTopic >= 0.2 && (c.figKey || c.figTopic >= 0.5)
}

// sentenceCoverages returns the coverages by ts of a sentence (unquoted),
// of the sentence with its section, and (when topicOnly) of the latter by
// the terms that are not place names, else the latter again: the values of
// coverageU(ts, sentenceU), coverageU(ts, sentenceU+" "+sectionU) and
// coverageU(topicTerms(ts), …), summed in the same order. The sentence is
// read once for both (presentNear); sentenceSig and sectionSig are rune
// signatures of the two texts.
func sentenceCoverages(ts []term, sentenceU, sectionU string, sentenceSig, sectionSig uint64, topicOnly bool) (covSent, covNear, covTopic float64) {
	var sum, gotS, gotN, sumT, gotT float64
	for _, t := range ts {
		pS, pN := presentNear(t, sentenceU, sectionU, sentenceSig, sectionSig)
		sum += t.w
		gotS += t.w * pS
		gotN += t.w * pN
		if !t.place {
			sumT += t.w
			gotT += t.w * pN
		}
	}
	if sum == 0 {
		return 0, 0, 0
	}
	covSent, covNear = gotS/sum, gotN/sum
	covTopic = covNear
	if topicOnly {
		covTopic = 0
		if sumT != 0 {
			covTopic = gotT / sumT
		}
	}
	return covSent, covNear, covTopic
}

// figureTerms returns terms cut by within to what the texts read around a
// paragraph's figures can hold: pieces of the paragraph (unquoted), its
// section and the figures' contexts. pTerms are terms cut to the first
// two: an alternative they keep is kept without reading the paragraph
// again, one they drop is looked for in the contexts.
func figureTerms(terms, pTerms []term, para *corpus.Paragraph) []term {
	var buf [16]string
	contexts := buf[:0]
	for i := range para.Figures {
		contexts = append(contexts, unquote(para.Figures[i].Context))
	}
	var out []term
	for i, t := range terms {
		kept := pTerms[i].alts
		if len(kept) == len(t.alts) {
			if out != nil {
				out = append(out, pTerms[i])
			}
			continue
		}
		// within keeps the alternatives in their order: kept is a
		// subsequence of t.alts.
		alts := make([]string, 0, len(t.alts))
		for _, a := range t.alts {
			if len(kept) > 0 && kept[0] == a {
				kept = kept[1:]
				alts = append(alts, a)
			} else if mayCount(a, contexts) {
				alts = append(alts, a)
			}
		}
		if len(alts) == len(t.alts) && out == nil {
			continue
		}
		if out == nil {
			out = append(make([]term, 0, len(terms)), terms[:i]...)
		}
		t.alts = alts
		out = append(out, t)
	}
	if out == nil {
		return terms
	}
	return out
}

// leastCoverage computes coverages (coverageKey) that count only when at
// least least: it looks for the heaviest terms first, and gives up on a
// text as soon as the terms left could not bring it to least. Most hits
// of a question with common words fall short; this reads a third to
// half of their terms.
type leastCoverage struct {
	ts    []term
	least float64
	order []int   // indices of ts, heaviest first
	sum   float64 // the weights' sum, as coverageKey adds them
}

func newLeastCoverage(ts []term, least float64) *leastCoverage {
	lc := &leastCoverage{ts: ts, least: least, order: make([]int, len(ts))}
	for i, t := range ts {
		lc.order[i] = i
		lc.sum += t.w
	}
	sort.SliceStable(lc.order, func(a, b int) bool { return ts[lc.order[a]].w > ts[lc.order[b]].w })
	return lc
}

// coverage returns coverageKey(ts, key, text...), and whether it is at
// least least; when it is not, the values are not computed. sigs and
// wide are rune signatures of the pieces of text, as presentWide takes
// them.
func (lc *leastCoverage) coverage(key int, text []string, sigs []uint64, wide *wideSig) (cov, keyPresent float64, ok bool) {
	if !(lc.sum > 0) {
		cov, keyPresent = coverageKey(lc.ts, key, text...)
		return cov, keyPresent, cov >= lc.least
	}
	var buf [16]float64
	ps := buf[:0]
	if len(lc.ts) > len(buf) {
		ps = make([]float64, 0, len(lc.ts))
	}
	ps = ps[:len(lc.ts)]
	got, left := 0.0, lc.sum
	for _, i := range lc.order {
		t := &lc.ts[i]
		ps[i] = presentWide(*t, text, sigs, wide)
		got += t.w * ps[i]
		left -= t.w
		// The margin keeps rounding (the sums here are in another order)
		// from giving up on a text at the bound.
		if (got+left)/lc.sum < lc.least-1e-9 {
			return 0, 0, false
		}
	}
	// coverageKey's sum, in its order.
	got = 0
	for i, t := range lc.ts {
		got += t.w * ps[i]
	}
	cov = got / lc.sum
	if key >= 0 && key < len(ps) {
		keyPresent = ps[key]
	}
	return cov, keyPresent, cov >= lc.least
}

// firstStage is what the first stage of candidates knows of a hit.
type firstStage struct {
	h       index.Hit
	rep     *corpus.Report
	para    *corpus.Paragraph
	pf      *paraFacts
	textU   string // the paragraph's text, unquoted
	covPara float64
	keyHit  bool
	prior   float64
	bm      float64
	rank    float64
}

// maxScored is how many hits candidates scores figure by figure. The
// slowest questions (common words, no place or year) had 60-110 hits, 40-100
// of them covering enough of the question to be scored; 30 cut their time
// by a fifth, and over 1,652 questions changed one first answer (another
// province's target for a question naming no place) and later passages of
// 57.
const maxScored = 30

// bestFirsts returns the n best of fs by rank, in their order in fs (the
// search's order, which breaks ties between candidates' scores).
func bestFirsts(fs []firstStage, n int) []firstStage {
	if len(fs) <= n {
		return fs
	}
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]].rank > fs[idx[b]].rank })
	keep := make([]bool, len(fs))
	for _, i := range idx[:n] {
		keep[i] = true
	}
	out := fs[:0]
	for i := range fs {
		if keep[i] {
			out = append(out, fs[i])
		}
	}
	return out
}

// prior favours the reports and sections a question's scope points at.
func (e *Engine) prior(q *question, sc scope, rep *corpus.Report, para *corpus.Paragraph) float64 {
	p := 0.0
	if sc.yearNote && sc.newest[rep.ID] {
		p += priorNewest
	}
	if sc.yearNote && rep.Year > 0 {
		// Without a year, what the reports say now: older reports fade
		// (a tenth per year, at most 1), and win only when the newer ones
		// do not speak of the topic.
		if age := sc.newestYear[rep.Issuer] - rep.Year; age > 0 {
			p -= min(priorAgeMax, priorAgePerYear*float64(age))
		}
	}
	if sc.prefer[rep.ID] {
		p += priorPreferred
	}
	if sc.multiIssuer && len(q.issuers) == 0 && rep.Issuer == nationalIssuer {
		// A question that names no place is, in a corpus of many issuers,
		// most often about the country as a whole.
		p += priorNational
	}
	return p
}

// choose picks the answer among the candidates, or abstains.
func (e *Engine) choose(q *question, terms []term, sc scope, cands []*candidate) *Answer {
	relevant := isRelevant
	if q.form > formCount {
		// A code, rank or span of years is read from the sentences.
		if a := e.answerForm(q, cands, relevant); a != nil {
			return a
		}
	}
	var best *candidate
	for _, c := range cands {
		if rejection(q, c) == taken {
			best = c
			break
		}
	}
	if best == nil && (q.form == formCount || q.form == formNamedCount) {
		if a := e.answerForm(q, cands, relevant); a != nil {
			return a
		}
	}
	if best == nil && q.wantsNumber {
		// No figure of the kind asked: fall back to the best relevant passage,
		// stated as such, rather than an unrelated number.
		for _, c := range cands {
			if relevant(c) && !c.conflict {
				best = c
				break
			}
		}
		if best != nil {
			// Not an answer to what was asked (Answered false), but the
			// nearest text, shown under the caveat.
			a := &Answer{Answers: e.passages(q, cands, best, false)}
			a.Reason = noNumberReason
			return a
		}
	}
	if best == nil {
		if len(q.issuers) == 0 {
			for _, t := range terms {
				if t.place && e.namesDivision(t.word) {
					// "十堰GDP": a place without reports of its own.
					return e.abstain(q, e.noReportReason(t.word), nil)
				}
			}
		}
		return e.abstain(q, notSaid(terms, sc.year), sc.all)
	}
	a := &Answer{Answered: true}
	if !q.wantsNumber && listCue.MatchString(q.norm) {
		if p, ok := e.listPassage(terms, best); ok {
			a.Answers = append([]Passage{p}, e.passages(q, cands, best, false)...)
			return a
		}
	}
	if q.wantsNumber && best.fig != nil {
		f := best.fig
		a.Figure = &Figure{Text: f.Text, Value: f.Value, Unit: f.Unit, Approx: f.Approx, Context: f.Context}
	}
	a.Answers = e.passages(q, cands, best, q.wantsNumber)
	return a
}

// passages builds the cited passages: best first, then the next best from
// other paragraphs, at most 10.
func (e *Engine) passages(q *question, cands []*candidate, best *candidate, withFigure bool) []Passage {
	out := []Passage{e.passage(best, withFigure)}
	seen := map[string]bool{best.para.ID: true}
	for _, c := range cands {
		if len(out) >= 10 {
			break
		}
		if seen[c.para.ID] || c.covPara < minPassageCov {
			continue
		}
		seen[c.para.ID] = true
		out = append(out, e.passage(c, withFigure && c.fig != nil))
	}
	return out
}

// passage cuts the excerpt for a candidate and cites it.
func (e *Engine) passage(c *candidate, withFigure bool) Passage {
	start, end := c.sStart, c.sEnd
	text := c.para.Text
	// A very long sentence is cut to the clauses around the figure so that
	// the excerpt stays readable in a chat.
	if utf8.RuneCountInString(text[start:end]) > 160 && c.fig != nil {
		start, end = windowAround(text, start, end, c.fig.Start, c.fig.End, 140)
	} else if utf8.RuneCountInString(text[start:end]) > 200 {
		start, end = windowAround(text, start, end, start, start, 180)
	}
	p := Passage{
		Report:    refOf(&c.rep.Meta),
		Section:   c.para.SectionPath(),
		Paragraph: c.para.ID,
		Excerpt:   strings.TrimSpace(text[start:end]),
		Score:     round3(c.score),
		Figures:   []corpus.Figure{},
	}
	if p.Section == nil {
		p.Section = []string{}
	}
	p.Year = c.year
	switch c.kind {
	case timeReview:
		p.Period = "review"
	case timeTarget:
		p.Period = "target"
	case timePeriod:
		p.Period, p.Year = "period", 0
	}
	lead := len(text[start:end]) - len(strings.TrimLeft(text[start:end], " \t"))
	off := start + lead
	for _, f := range c.para.Figures {
		if f.Start >= off && f.End <= off+len(p.Excerpt) {
			g := f
			g.Start -= off
			g.End -= off
			p.Figures = append(p.Figures, g)
		}
	}
	if withFigure && c.fig != nil && c.fig.Start >= off && c.fig.End <= off+len(p.Excerpt) {
		p.Mark = [2]int{c.fig.Start - off, c.fig.End - off}
	}
	return p
}

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }

// notSaid words the abstention after the question's heaviest words.
func notSaid(terms []term, year int) string {
	// The two heaviest words, in the order the question has them.
	idx := make([]int, len(terms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return terms[idx[i]].w > terms[idx[j]].w })
	if len(idx) > 2 {
		idx = idx[:2]
	}
	sort.Ints(idx)
	var words []string
	for _, i := range idx {
		w := terms[i].word
		if w == strings.ToLower(w) && strings.ToUpper(w) != w {
			w = strings.ToUpper(w) // the segmenter folds GDP to gdp
		}
		words = append(words, w)
	}
	if year > 0 {
		return fmt.Sprintf("收录的报告中没有找到%d年“%s”的内容。", year, strings.Join(words, " "))
	}
	return fmt.Sprintf("收录的报告中没有找到关于“%s”的内容。", strings.Join(words, " "))
}

// abstain answers that the reports do not say, suggesting what they cover.
func (e *Engine) abstain(q *question, reason string, inScope []*index.ReportInfo) *Answer {
	a := &Answer{Reason: reason}
	if len(inScope) == 0 {
		// The reason already says which places and years the reports cover.
		return a
	}
	a.Suggestions = e.suggest(inScope)
	return a
}

// coverage says which issuers and years the reports cover (those in
// scope, or all when scope is nil), for abstentions about a place or year
// the corpus does not have.
func (e *Engine) coverage(scope []*index.ReportInfo) string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if scope == nil {
		for i := range e.reports {
			scope = append(scope, &e.reports[i])
		}
	}
	if len(scope) == 0 {
		return ""
	}
	type span struct{ lo, hi int }
	years := map[string]*span{}
	var order []string
	for _, ri := range scope {
		is, y := ri.Issuer, ri.Year
		sp := years[is]
		if sp == nil {
			sp = &span{y, y}
			years[is] = sp
			order = append(order, is)
		}
		sp.lo, sp.hi = min(sp.lo, y), max(sp.hi, y)
	}
	// The national reports first: the most asked about.
	sort.SliceStable(order, func(i, j int) bool { return order[i] == nationalIssuer && order[j] != nationalIssuer })
	const show = 8
	var names []string
	for i, is := range order {
		if i == show {
			break
		}
		name := strings.TrimSuffix(is, "人民政府")
		switch sp := years[is]; {
		case sp.lo == 0:
		case sp.lo == sp.hi:
			name += fmt.Sprintf("（%d年）", sp.lo)
		default:
			name += fmt.Sprintf("（%d—%d年）", sp.lo, sp.hi)
		}
		names = append(names, name)
	}
	more := ""
	if len(order) > show {
		more = fmt.Sprintf("等%d个地方和部门", len(order))
	}
	return fmt.Sprintf("收录的是%s%s的报告。", strings.Join(names, "、"), more)
}

// suggest lists topics the reports in scope cover: the second-level headings
// of the newest report, shortened to their topic.
func (e *Engine) suggest(reps []*index.ReportInfo) []string {
	if len(reps) == 0 {
		return nil
	}
	r, err := e.ix.Report(reps[0].ID)
	if err != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, level := range []int{2, 1} {
		for _, p := range r.Paragraphs {
			for _, h := range p.Path {
				if h.Level != level || seen[h.Text] {
					continue
				}
				seen[h.Text] = true
				t := topicOf(h)
				if t != "" {
					out = append(out, t)
				}
				if len(out) == 5 {
					return out
				}
			}
		}
		if len(out) >= 3 {
			break
		}
	}
	return out
}

// topicOf shortens a heading to its topic: marker dropped, cut at the first comma.
func topicOf(h corpus.Heading) string {
	t := strings.TrimSpace(strings.TrimPrefix(h.Text, h.Marker))
	for _, sep := range []string{"，", ",", "。", "；"} {
		if i := strings.Index(t, sep); i > 0 {
			t = t[:i]
		}
	}
	if r := []rune(t); len(r) > 24 {
		t = string(r[:24]) + "…"
	}
	return t
}

package answer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
)

// reviewHeading and targetHeading recognise the two halves of a work report:
// the review of last year and the plan for this one.
var (
	reviewHeading = regexp.MustCompile(`回顾|过去|成就|成效|进展|主要工作|工作总结|取得|五年|十年|形势`)
	targetHeading = regexp.MustCompile(`目标|任务|安排|总体要求|重点工作|今年|\d{4}年工作|主要预期|工作建议|下一步|计划|打算`)
)

// clauseAround returns the byte range of the clause of text[sStart:sEnd]
// that holds [fStart,fEnd).
func clauseAround(text string, sStart, sEnd, fStart, fEnd int) (int, int) {
	return sStart + zhtext.ClauseStart(text[sStart:fStart], zhtext.ClauseSeparators),
		fEnd + zhtext.ClauseEnd(text[fEnd:sEnd], zhtext.ClauseSeparators)
}

// windowAround narrows [start,end) to whole clauses around [fStart,fEnd),
// at most about max runes.
func windowAround(text string, start, end, fStart, fEnd, max int) (int, int) {
	// Clause boundaries in the sentence (colons do not cut it).
	bounds := zhtext.ClauseBounds(text[start:end], zhtext.Commas+zhtext.Semicolons)
	for i := range bounds {
		bounds[i] += start
	}
	// Clause index holding the figure.
	k := 0
	for i := 0; i+1 < len(bounds); i++ {
		if fStart >= bounds[i] && fStart < bounds[i+1] {
			k = i
			break
		}
	}
	lo, hi := k, k+1
	runes := func(a, b int) int { return utf8.RuneCountInString(text[bounds[a]:bounds[b]]) }
	for {
		grew := false
		if lo > 0 && runes(lo-1, hi) <= max {
			lo--
			grew = true
		}
		if hi+1 < len(bounds) && runes(lo, hi+1) <= max {
			hi++
			grew = true
		}
		if !grew {
			break
		}
	}
	return bounds[lo], bounds[hi]
}

// isHeadingSentence reports whether sentence is the paragraph's own inline
// heading ("1.高效完成行政复议体制改革。").
func isHeadingSentence(p *corpus.Paragraph, sentence string) bool {
	if len(p.Path) == 0 {
		return false
	}
	h := p.Path[len(p.Path)-1].Text
	s := strings.TrimRight(strings.TrimSpace(sentence), "。")
	return s != "" && (s == strings.TrimRight(h, "。") || strings.HasPrefix(h, s))
}

// figureSubject returns what a figure counts: its Context; when the
// figure closes a list of subjects sharing it ("网上办、一次办率均达100%"),
// the whole list; when its clause is only a verb ("…，突破1600亿斤"), the
// clause before as well. It says so as subjectText reads it: the
// paragraph's words text[from:f.Start], then (withContext) the Context.
func figureSubject(text string, sStart int, f *corpus.Figure, figs []corpus.Figure) (from int, withContext bool) {
	figureIn := func(lo, hi int) bool {
		for i := range figs {
			if g := &figs[i]; g.Start >= lo && g.Start < hi {
				return true
			}
		}
		return false
	}
	a := sStart + zhtext.ClauseStart(text[sStart:f.Start], zhtext.ClauseBoundaries)
	before := text[a:f.Start]
	verb, timed := strings.TrimSpace(before), false
	if m := timeLead.FindString(verb); m != "" {
		// "…在一九五二年是一百三十五万吨，到一九五八年就增加到一千一百零八
		// 万吨": the same subject, a later year.
		verb, timed = verb[len(m):], true
	}
	if a > sStart && bareVerb(verb) {
		// "粮食总产量再上新台阶，突破1600亿斤大关": a clause that is only a
		// verb and the figure takes its subject from the clause before.
		_, n := utf8.DecodeLastRuneInString(text[:a])
		p := sStart + zhtext.ClauseStart(text[sStart:a-n], zhtext.ClauseBoundaries)
		if timed || !figureIn(p, a) {
			// (When the clause before states a figure, Context already
			// carries that figure's subject.)
			return p, true
		}
	}
	if !strings.Contains(before, "、") {
		return f.Start, true
	}
	last := before[strings.LastIndex(before, "、"):]
	if strings.Contains(last, "均") || strings.Contains(last, "分别") || strings.Contains(last, "都") {
		return a, false
	}
	return f.Start, true
}

// subjectText returns the subject figureSubject described: the words
// text[from:f.Start] and, withContext, f.Context after a space (the
// Context alone when there are no words).
func subjectText(text string, from int, withContext bool, f *corpus.Figure) string {
	switch {
	case !withContext:
		return text[from:f.Start]
	case from == f.Start:
		return f.Context
	}
	return text[from:f.Start] + " " + f.Context
}

// bigram is a character bigram of a question's phrase and its rune
// signature.
type bigram struct {
	s   string
	sig uint64
}

// hanBigrams returns the character bigrams of phrase's Han runs, as
// pieces of phrase (so no allocation but the slice's), for bigramOverlap.
func hanBigrams(phrase string) []bigram {
	var out []bigram
	prev := -1 // offset of the previous rune when it is Han
	var prevRune rune
	for i, r := range phrase {
		if !unicode.Is(unicode.Han, r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			out = append(out, bigram{phrase[prev : i+utf8.RuneLen(r)], runeBit(prevRune) | runeBit(r)})
		}
		prev, prevRune = i, r
	}
	return out
}

// bigramOverlap is the share of bigrams (hanBigrams of a phrase) that
// occur in text: how closely text repeats the question's wording. text
// may be given in pieces, as to present (a bigram holds no space), with
// rune signatures as presentSig takes them (sigs nil for none).
func bigramOverlap(bigrams []bigram, text []string, sigs []uint64) float64 {
	if len(bigrams) == 0 {
		return 0
	}
	hit := 0
	for _, b := range bigrams {
		if hasSubSig(text, sigs, b.s, b.sig) {
			hit++
		}
	}
	return float64(hit) / float64(len(bigrams))
}

// isRate reports whether f is a rate or a change rather than an amount.
func isRate(f *corpus.Figure) bool {
	return f.BaseUnit == "%" || strings.ContainsAny(f.Unit, "%％‰") || strings.Contains(f.Unit, "百分点") || f.Unit == "成"
}

// commaClauseBoundaries are the clause boundaries that the readings of a
// figure's clause (isFromValue, isChangeAmount, periodLevel) look for.
// Unlike clauseAround's ClauseSeparators they have never counted a colon
// as a boundary; answers depend on it, so the difference is kept.
const commaClauseBoundaries = zhtext.Commas + zhtext.Semicolons + zhtext.SentenceEnders

// isFromValue reports whether f is the starting value of a "从A…到B" (由A…到B) change
// within its clause.
func isFromValue(text string, sStart, sEnd int, f *corpus.Figure) bool {
	a := sStart
	if i := strings.LastIndexAny(text[sStart:f.Start], commaClauseBoundaries); i >= 0 {
		a = sStart + i
	}
	// "由2046万吨增加到3178万吨" is the same change as with 从.
	if !strings.Contains(text[a:f.Start], "从") && !strings.HasSuffix(text[a:f.Start], "由") {
		return false
	}
	rest := text[f.End:sEnd]
	if i := strings.IndexAny(rest, commaClauseBoundaries); i >= 0 {
		rest = rest[:i]
	}
	return strings.Contains(rest, "到") || strings.Contains(rest, "至")
}

// changeVerbs state a change: the figure after them is the amount of the
// change (比上年增加505万吨, 损失钢产量2800万吨), not the level.
var changeVerbs = []string{"增加", "减少", "增产", "减产", "损失", "下降", "降低", "增长", "提高", "多收", "少收", "新增了", "净增"}

// isChangeAmount reports whether f follows a change verb in its clause.
func isChangeAmount(text string, sStart int, f *corpus.Figure) bool {
	before := text[sStart:f.Start]
	if i := strings.LastIndexAny(before, commaClauseBoundaries+zhtext.EnumerationComma); i >= 0 {
		before = before[i:]
	}
	before = strings.TrimSpace(before)
	for _, p := range []string{"将近", "接近", "超过", "近", "约", "了", "达"} {
		before = strings.TrimSuffix(before, p)
	}
	for _, v := range changeVerbs {
		if strings.HasSuffix(before, v) {
			return true
		}
	}
	return false
}

// asksChange reports whether a question asks for a change rather than a level.
func asksChange(norm string) bool {
	return strings.ContainsAny(norm, "增减降") || strings.Contains(norm, "损失") || strings.Contains(norm, "提高") || strings.Contains(norm, "多收") || strings.Contains(norm, "少收")
}

// milestoneRe marks a figure named as a threshold passed ("迈上6万亿元台阶").
var milestoneRe = regexp.MustCompile(`^[^，,；;。]{0,3}(台阶|大关|关口)`)

// isMilestone reports whether f is a round threshold passed while the same
// sentence states the exact value of the same kind.
func isMilestone(p *corpus.Paragraph, sStart, sEnd int, f *corpus.Figure) bool {
	if !milestoneRe.MatchString(p.Text[f.End:sEnd]) {
		return false
	}
	for i := range p.Figures {
		g := &p.Figures[i]
		if g == f || g.Start < sStart || g.Start >= sEnd || g.BaseUnit != f.BaseUnit || f.Value == 0 {
			continue
		}
		if r := g.Value / f.Value; r > 0.5 && r < 2 {
			return true
		}
	}
	return false
}

// leadIn reports whether sentence only announces what follows: short and
// ending in a colon ("重点做好以下工作：", "各位代表：").
func leadIn(sentence string) bool {
	s := strings.TrimSpace(sentence)
	return (strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")) && utf8.RuneCountInString(s) <= 24
}

// bareVerbs are the verbs a clause may consist of before its figure when
// the subject is in the clause before ("…，突破1600亿斤大关").
var bareVerbs = []string{"突破", "达到", "达", "超过", "超", "增长", "增加", "实现", "迈上", "跃上", "站上", "跨上", "为",
	"增至", "提高到", "提升到", "提高至", "稳定在", "保持在", "完成", "总量达到", "总量达", "共", "累计", "首次突破", "首次超过",
	"增加到", "增长到", "上升到", "下降到", "降到", "降至", "减少到", "扩大到"}

// timeLead is a clause's opening that only moves the same subject to
// another time: 到一九五八年就, 至2025年底已.
var timeLead = regexp.MustCompile(`^(?:到|至|在|截至)?(?:(?:19|20)\d\d|[〇○零一二三四五六七八九]{4})年(?:底|末|年底|年末)?(?:就|又|已经|已|再|也|还)?`)

func bareVerb(s string) bool {
	for _, v := range bareVerbs {
		if s == v {
			return true
		}
	}
	return false
}

// figuresIn counts the figures p states within [start,end).
func figuresIn(p *corpus.Paragraph, start, end int) int {
	n := 0
	for i := range p.Figures {
		if f := &p.Figures[i]; f.Start >= start && f.Start < end {
			n++
		}
	}
	return n
}

// segmentAround returns the part of the sentence text[sStart:sEnd]
// between semicolons that holds offset at.
func segmentAround(text string, sStart, sEnd, at int) string {
	a, b := sStart, sEnd
	if i := strings.LastIndexAny(text[sStart:at], zhtext.Semicolons); i >= 0 {
		a = sStart + i
	}
	if i := strings.IndexAny(text[at:sEnd], zhtext.Semicolons); i >= 0 {
		b = at + i
	}
	return text[a:b]
}

// periodLevel reports whether f, in a sentence about a period, is the level
// reached at its end: an amount (not a rate or a change), not a sum or
// average, not a base value ("较…末的9323.1亿元", "从…").
func periodLevel(text string, sStart int, f *corpus.Figure) bool {
	if isRate(f) || aggregate.MatchString(f.Context) {
		return false
	}
	a := sStart
	if i := strings.LastIndexAny(text[sStart:f.Start], commaClauseBoundaries); i >= 0 {
		a = sStart + i
	}
	before := text[a:f.Start]
	for _, w := range []string{"新增", "新建", "新开工", "累计", "每年", "五年", "完成", "共", "合计", "总计"} {
		// A flow summed over the period (五年城镇新增就业4200万人) is not a level.
		if strings.Contains(before, w) || strings.Contains(f.Context, w) {
			return false
		}
	}
	near := before
	if i := strings.LastIndex(near, "、"); i >= 0 {
		// "连续迈上4个万亿元台阶、达14.2万亿元": the threshold is the
		// other item's.
		near = near[i:]
	}
	for _, w := range []string{"突破", "超过", "迈上", "跨上", "跃上", "跨过", "首个", "以上"} {
		// Nor is a threshold passed (突破5万亿元).
		if strings.Contains(near, w) || near == before && strings.Contains(f.Context, w) {
			return false
		}
	}
	for _, w := range []string{"增加到", "增长到", "提高到", "提升到", "增至", "升至", "达到"} {
		if strings.HasSuffix(before, w) && !strings.Contains(before, "从") {
			return true // the level reached
		}
	}
	for _, w := range []string{"较", "比", "从", "累计", "年均", "平均", "增加", "增长", "减少", "下降"} {
		if strings.Contains(before, w) {
			return false
		}
	}
	return true
}

// otherHeads are nouns that, after the asked term, make the subject another
// statistic: "单位国内生产总值能耗", "占国内生产总值比重".
var otherHeads = []string{"能耗", "比重", "比例", "之比", "占比", "强度", "排放", "贡献率", "增加值"}

// modifiedSubject reports whether the subject ctx names the asked term
// only as a modifier of something else: "单位国内生产总值能耗下降" is about
// energy use, "服务业增加值占国内生产总值比重" about a share.
func modifiedSubject(ctx string, t term, question string) bool {
	for _, a := range t.alts {
		i := strings.LastIndex(ctx, a)
		if i < 0 {
			continue
		}
		if strings.HasSuffix(ctx[:i], "单位") || strings.HasSuffix(ctx[:i], "占") {
			return !strings.Contains(question, "单位") && !strings.Contains(question, "占")
		}
		rest := ctx[i+len(a):]
		for _, h := range otherHeads {
			if strings.Contains(rest, h) && !strings.Contains(question, h) {
				return true
			}
		}
		return false
	}
	return false
}

package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/zhtext"
)

// timeKind says what period a sentence of a report speaks about.
type timeKind int

const (
	timeUnknown timeKind = iota
	// timeReview: results of one past year (a report delivered in Y reviews Y−1).
	timeReview
	// timeTarget: goals and plans for one year (the report's own year).
	timeTarget
	// timePeriod: several years at once (过去五年, “十四五”时期, 年均).
	timePeriod
)

// periodCue marks sentences and headings about several years at once.
var periodCue = regexp.MustCompile(`五年来|过去的?五年|五年中|五年间|十年来|过去的?十年|平均每年|每年平均|每年超过|每年新增|“?十[一二三四五六]五”?时期|“十[一二三四五六]五”以来|年均(?:增|提高|下降|降低|新增|减少|超过|达到|达|实现|完成|保持|\d)|五年累计|规划期|到(?:19|20)\d\d年|五年规划|规划纲要`)

// targetSentence marks a sentence that states the year's goals, wherever it stands.
var targetSentence = regexp.MustCompile(`预期目标|今年(经济社会)?发展的?主要目标|今年的?目标是`)

// plansOwnYear reports whether sentence plans or requires something of
// year, the report's own, named as 今年 or by its number (planThisYear).
func plansOwnYear(sentence string, year int) bool {
	if own := strconv.Itoa(year) + "年"; strings.Contains(sentence, own) {
		sentence = strings.ReplaceAll(sentence, own, "今年")
	}
	return strings.Contains(sentence, "今年") && planThisYear.MatchString(sentence) && !strings.Contains(sentence, "今年以来")
}

// metTarget marks a sentence that reports a goal met or missed ("城镇新增
// 就业1312万人，超过全年预期目标"): a result, not the goal.
var metTarget = regexp.MustCompile(`(?:超过|超额完成|完成|实现|达到|好于|高于|低于|未完成|没有完成|未达到|没有达到)了?(?:全年|年度|年初|预定|既定|计划|规划|)的?(?:主要)?预期目标`)

// planThisYear marks a sentence that plans or requires something of the
// report's own year (今年): its figures are targets.
var planThisYear = regexp.MustCompile(`(计划|要求|预期|力争|争取|目标|打算|安排)[^。；;]{0,12}今年|今年[^。；;]{0,30}(计划|要求|预期|力争|争取|目标|打算|安排|要达到)`)

// leadLastYear matches a sentence that opens with the year before the
// report: 过去的一年，…; 去年，…; 在经济领域，过去一年里取得的….
var leadLastYear = regexp.MustCompile(`^\s*(?:过去的?一年|去年)[，,]|^[^。；;，,]{0,6}[，,]\s*过去的?一年(?:里|中|间)?[，,]?(?:取得|是|我们)`)

// yearSpan matches a span of years (从1974年到1976年, 2021—2025年).
var yearSpan = regexp.MustCompile(`(1[89]\d\d|20\d\d)年?(到|至|—|－|-|～)(1[89]\d\d|20\d\d)年`)

// spacedDigits matches a digit followed by spaces before another digit or 年.
var spacedDigits = regexp.MustCompile(`(\d) +(\d|年)`)

// oneYear marks a heading that also covers the last year ("过去一年和五年工作回顾").
var oneYear = regexp.MustCompile(`一年|去年|上年`)

// basisClause matches an opening clause that names the ground a sentence
// builds on ("在1992年快速增长的基础上，"), not what it speaks of.
var basisClause = regexp.MustCompile(`^[^。；;，,]{0,3}在[^。；;，,]{0,40}?基础上[，,]?`)

// leadYear matches a year that opens a sentence ("2024年，…", "初步统计，2024年…").
var leadYear = regexp.MustCompile(`^[^，,；;。]{0,6}?(1[89]\d\d|20\d\d)年(?:[，,]|[^以到至底末初]{0,2}[\p{Han}])`)

// speaksOf returns the year and kind of period that sentence (of para, in
// rep) speaks about, from the sentence itself, then the innermost heading
// that names a year or a period: "一、2024年工作回顾" is the review of 2024,
// "三、2025年重点工作" the plan for 2025, "过去五年…" a period.
func speaksOf(rep *corpus.Report, para *corpus.Paragraph, sentence string) (int, timeKind) {
	if y, k, ok := sentenceTime(rep, sentence); ok {
		return y, k
	}
	return headingTime(rep, para)
}

// sentenceTime reads the period from the sentence's own words, when they say.
// The substring tests spare the regular expressions on most sentences.
func sentenceTime(rep *corpus.Report, sentence string) (int, timeKind, bool) {
	sentence = zhtext.FoldDigits(sentence)
	if strings.Contains(sentence, "基础上") {
		// "在1992年快速增长的基础上，1993年…" speaks of 1993: the
		// opening clause is the ground it stands on.
		sentence = basisClause.ReplaceAllString(sentence, "")
	}
	if rep.Year > 0 && strings.Contains(sentence, "目标") && targetSentence.MatchString(sentence) && !metTarget.MatchString(sentence) {
		return rep.Year, timeTarget, true
	}
	if strings.Contains(sentence, "年") && cnYearRe.MatchString(sentence) {
		// Years in Chinese numerals (一九七四年) are read as the Arabic ones.
		sentence = spellCNYears(sentence)
	}
	if rep.Year > 0 && plansOwnYear(sentence, rep.Year) {
		// "国家计划要求今年的…粮食产量达到41250万吨", "一九五八年计划粮食
		// 产量三千九百二十亿斤": a plan for the report's own year, not its
		// result.
		return rep.Year, timeTarget, true
	}
	if mayPeriod(sentence) && periodCue.MatchString(sentence) {
		return 0, timePeriod, true
	}
	if strings.Contains(sentence, "年") && yearSpan.MatchString(sentence) {
		// "从1974年到1976年，…损失…": several years at once, none of them
		// the year of the report's review or plan.
		return 0, timePeriod, true
	}
	if rep.Year > 0 && leadLastYear.MatchString(sentence) {
		// "过去的一年，…" opens the review of the year before the report.
		return rep.Year - 1, timeReview, true
	}
	if rep.Year > 0 && strings.Contains(sentence, "年") {
		if m := leadYear.FindStringSubmatch(sentence); m != nil {
			// "2024年，全省地区生产总值…" inside a five-year review.
			if y, _ := strconv.Atoi(m[1]); y < rep.Year {
				return y, timeReview, true
			}
		}
	}
	return 0, timeUnknown, false
}

// periodHints are substrings every match of periodCue contains one of.
var periodHints = []string{"五年", "十年", "每年", "年均", "五”", "五\"", "五时期", "规划", "到20", "到19"}

// mayPeriod is a cheap test that s might match periodCue.
func mayPeriod(s string) bool {
	for _, w := range periodHints {
		if hasSub(s, w) {
			return true
		}
	}
	return false
}

// headingTime reads the period from the paragraph's headings.
func headingTime(rep *corpus.Report, para *corpus.Paragraph) (int, timeKind) {
	for i := len(para.Path) - 1; i >= 0; i-- {
		h := zhtext.FoldDigits(corpus.FoldHan(para.Path[i].Text))
		if strings.Contains(h, " ") {
			// "关于1 9 9 8 年政府工作的建议": digits spaced out.
			for g := ""; g != h; {
				g, h = h, spacedDigits.ReplaceAllString(h, "$1$2")
			}
		}
		if m := yearRe.FindStringSubmatch(h); m != nil {
			y, _ := strconv.Atoi(m[1])
			switch {
			case reviewHeading.MatchString(h) && !targetHeading.MatchString(h):
				return y, timeReview
			case rep.Year > 0 && y == rep.Year-1:
				return y, timeReview
			case rep.Year > 0 && y == rep.Year:
				return y, timeTarget
			}
			continue
		}
		if mayPeriod(h) && periodCue.MatchString(h) && !oneYear.MatchString(h) {
			return 0, timePeriod
		}
	}
	if len(para.Path) > 0 && rep.Year > 0 {
		top := para.Path[0].Text
		rv, tg := reviewHeading.MatchString(top), targetHeading.MatchString(top)
		switch {
		case rv && !tg:
			return rep.Year - 1, timeReview
		case tg && !rv:
			return rep.Year, timeTarget
		}
	}
	return 0, timeUnknown
}

// timeFit scores how well a sentence's period fits the question: the year
// asked (want, 0 for none) and whether it asks for results or goals.
func timeFit(q *question, sc scope, want, year int, kind timeKind) float64 {
	p := 0.0
	if want > 0 {
		switch {
		case kind == timePeriod:
			p -= 0.5
		case year == want:
			p += 0.6
		case year != 0:
			p -= 0.9
		}
	}
	switch {
	case kind == timePeriod:
		if !q.normAggregate && !q.normPeriod {
			p -= 0.2
		}
	case sc.intent == "review" && kind == timeReview, sc.intent == "target" && kind == timeTarget:
		p += 0.3
	case sc.intent != "" && kind != timeUnknown:
		p -= 0.3
	}
	return p
}

// noteYear says in the answer which year a figure is about when the
// question named none and the issuer has reports of several years.
func (e *Engine) noteYear(q *question, sc scope, a *Answer) {
	if !a.Answered || len(a.Answers) == 0 || a.Figure == nil {
		return
	}
	top := a.Answers[0]
	if len(q.issuers) == 0 && sc.multiIssuer && top.Report.Issuer != nationalIssuer || q.placeFrom != "" {
		// Likewise when the question said 咱们县 or left the place to the
		// conversation: the first line names the place it was taken for.
		// A question naming no place is taken as national; when only a
		// province's report gives the figure, the first line says whose
		// it is ("约5100亿元（广东省，2024年）"), not only the citation.
		defer func() {
			place := strings.TrimSuffix(top.Report.Issuer, "人民政府")
			if a.Note == "" {
				a.Note = place
			} else {
				a.Note = place + "，" + a.Note
			}
		}()
	}
	if top.Year == 0 {
		return
	}
	if top.Period == "target" && !q.target {
		if sc.intent == "review" && !sc.yearNote && (e.hasReport(top.Report.Issuer, top.Year+1) || actualCue.MatchString(q.norm)) {
			// A year's result asked, and the issuer's report that reviews
			// the year states no figure for it, only the goal set for it:
			// the result is not given, and the goal is not offered in its
			// place. (Without that report, as for the newest year, the
			// goal is what there is, and the note says it is the goal,
			// unless the question insists on the outcome: 最后达到了多少.)
			targetForActual(a, top)
			return
		}
		// Asked for a result, the reports give only the goal: say so.
		a.Note = fmt.Sprintf("%d年目标", top.Year)
		return
	}
	if !sc.yearNote {
		return
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	years := map[int]bool{}
	for i := range e.reports {
		if e.reports[i].Issuer == top.Report.Issuer {
			years[e.reports[i].Year] = true
		}
	}
	if len(years) < 2 {
		return
	}
	switch top.Period {
	case "target":
		a.Note = fmt.Sprintf("%d年目标", top.Year)
	default:
		a.Note = fmt.Sprintf("%d年", top.Year)
	}
}

// actualCue marks a question that asks for the outcome, not the plan:
// 实际, 最终, 最后达到了, 到底完成了多少.
var actualCue = regexp.MustCompile(`实际|最终|最后|到底|究竟|(?:达到|完成|实现|增长|增加|下降)了`)

// hasReport reports whether a report of issuer delivered in year is indexed.
func (e *Engine) hasReport(issuer string, year int) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	for i := range e.reports {
		if r := &e.reports[i]; r.Issuer == issuer && r.Year == year {
			return true
		}
	}
	return false
}

// targetForActual turns a, whose figure is the goal set for a year
// whose result was asked (top is its passage), into an abstention that
// says the result is not given and what the goal was. The passages stay
// in a.Answers; the figure is dropped, as it does not answer the question.
func targetForActual(a *Answer, top Passage) {
	a.Answered = false
	a.Reason = fmt.Sprintf("收录的报告没有给出%d年的实际数字，只有当年定的目标：%s（%d年目标），见《%s》。", top.Year, figureLine(a.Figure), top.Year, top.Report.Title)
	a.Figure = nil
	a.Note = ""
}

// statedYear matches a year written in a sentence, digits possibly spaced
// as in old typeset reports ("1 9 9 7 年").
var statedYear = regexp.MustCompile(`((?:1\s*[89]|2\s*0)\s*\d\s*\d)\s*年(以来|至|到|—|-|相比|比较)?`)

// yearBefore returns the year the text before a figure names for it
// ("2024年全省地区生产总值57761亿元", "1 9 9 7 年粮食产量达到…"): the last
// year stated that is not the start of a span; 0 when none.
func yearBefore(before string) int {
	if !strings.Contains(before, "年") {
		return 0
	}
	before = zhtext.FoldDigits(before)
	if cnYearRe.MatchString(before) {
		// "一九八五年增加三百六十二亿元，全年总收入达到…": 1985.
		before = spellCNYears(before)
	}
	y := 0
	for _, m := range statedYear.FindAllStringSubmatchIndex(before, -1) {
		if m[4] >= 0 || baseYearCue.MatchString(before[:m[0]]) || spanEndCue.MatchString(before[:m[0]]) {
			continue
		}
		v, _ := strconv.Atoi(strings.Join(strings.Fields(before[m[2]:m[3]]), ""))
		y = v
	}
	return y
}

// spanEndCue matches the end of the text before a year that closes a span
// ("1952年到1956年五年间的实际产量合计"): the figure is the span's.
var spanEndCue = regexp.MustCompile(`\d\s*年?\s*(?:到|至|—|－|-|～)\s*$`)

// baseYearCue matches the end of the text before a year that is the base
// of a comparison ("比1978年增长", "等于一九四九年的二点五倍",
// "同一九四九年产量比较"), not the year of the figures after it.
var baseYearCue = regexp.MustCompile(`(?:比|较|同|跟|等于|相当于|高于|低于|多于|少于|超过)\s*$`)

// shortYearRe matches a year said with two digits, Arabic or Chinese
// ("98年", "23年", "二三年"); shortYear tells a year from a count of years.
var shortYearRe = regexp.MustCompile(`(\d\d|[〇零○一二三四五六七八九]{2})年`)

// Two-digit years: up to shortYearLast they are of the 2000s, from
// shortYearFirst of the 1900s (the reports start in 1954); those between
// are left as counts.
const (
	shortYearLast  = 39
	shortYearFirst = 50
)

// countBefore are the words before "N年" that make it a count of years
// ("近10年", "连续12年", "再过三五年", "新中国成立50年"); countAfter those
// after it ("20年来", "10年间", "三五年时间").
var (
	countBefore = regexp.MustCompile(`(?:[\d〇零○一二三四五六七八九十百千近续这那多几第每数前后再隔满用花了共约达逾足过]|成立|建国|建党|开放|执政|历时|不到|已经|至少)$`)
	countAfter  = regexp.MustCompile(`^(?:[来间内前后以度多之时左半余]|的时间)`)
)

// spellShortYears writes two-digit years in four digits: "98年" → "1998年",
// "23年" → "2023年", "二三年" → "2023年", leaving counts of years alone.
func spellShortYears(s string) string {
	if !strings.Contains(s, "年") {
		return s
	}
	ms := shortYearRe.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if countBefore.MatchString(s[:m[0]]) || countAfter.MatchString(s[m[1]:]) {
			continue
		}
		v := 0
		for _, r := range s[m[2]:m[3]] {
			d := int(r - '0')
			if r > '9' {
				d = strings.IndexRune("〇一二三四五六七八九", r) / len("〇")
				if r == '零' || r == '○' {
					d = 0
				}
			}
			v = 10*v + d
		}
		switch {
		case v <= shortYearLast:
			v += 2000
		case v >= shortYearFirst:
			v += 1900
		default:
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(strconv.Itoa(v))
		last = m[3]
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// askedSpan matches a span of years asked for ("2020年到2024年",
// "2020—2024年", "从2016至2020年").
var askedSpan = regexp.MustCompile(`(1[89]\d\d|20\d\d)\s*年?\s*(?:到|至|—|－|-|～|~)\s*(1[89]\d\d|20\d\d)\s*年`)

// spellYearSpans writes a span of years asked for as its years, every one
// ("2020年到2023年" → "2020年 2021年 2022年 2023年"), so that the question
// asks for each year of it and not only its two ends. A span longer than a
// comparison lists (maxSeries), and a question about the span as a whole
// (年均, 累计: aggregate), keep their ends only.
func spellYearSpans(s string, aggregate bool) string {
	if aggregate || !strings.Contains(s, "年") {
		return s
	}
	return askedSpan.ReplaceAllStringFunc(s, func(m string) string {
		sm := askedSpan.FindStringSubmatch(m)
		lo, _ := strconv.Atoi(sm[1])
		hi, _ := strconv.Atoi(sm[2])
		if hi <= lo || hi-lo+1 > maxSeries {
			return sm[1] + "年 " + sm[2] + "年"
		}
		var b strings.Builder
		for y := lo; y <= hi; y++ {
			if y > lo {
				b.WriteString(" ")
			}
			b.WriteString(strconv.Itoa(y) + "年")
		}
		return b.String()
	})
}

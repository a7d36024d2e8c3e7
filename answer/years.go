package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/govbot/govbot/corpus"
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

// planThisYear marks a sentence that plans or requires something of the
// report's own year (今年): its figures are targets.
var planThisYear = regexp.MustCompile(`(计划|要求|预期|力争|争取|目标|打算|安排)[^。；;]{0,12}今年|今年[^。；;]{0,30}(计划|要求|预期|力争|争取|目标|打算|安排|要达到)`)

// leadLastYear matches a sentence that opens with the year before the
// report: 过去的一年，…; 去年，….
var leadLastYear = regexp.MustCompile(`^\s*(?:过去的?一年|去年)[，,]`)

// yearSpan matches a span of years (从1974年到1976年, 2021—2025年).
var yearSpan = regexp.MustCompile(`(1[89]\d\d|20\d\d)年?(到|至|—|－|-|～)(1[89]\d\d|20\d\d)年`)

// spacedDigits matches a digit followed by spaces before another digit or 年.
var spacedDigits = regexp.MustCompile(`(\d) +(\d|年)`)

// oneYear marks a heading that also covers the last year ("过去一年和五年工作回顾").
var oneYear = regexp.MustCompile(`一年|去年|上年`)

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
	sentence = foldDigits(sentence)
	if rep.Year > 0 && strings.Contains(sentence, "目标") && targetSentence.MatchString(sentence) {
		return rep.Year, timeTarget, true
	}
	if rep.Year > 0 && strings.Contains(sentence, "今年") && planThisYear.MatchString(sentence) && !strings.Contains(sentence, "今年以来") {
		// "国家计划要求今年的…粮食产量达到41250万吨": a plan for the
		// report's own year, not its result.
		return rep.Year, timeTarget, true
	}
	if strings.Contains(sentence, "年") && cnYearRe.MatchString(sentence) {
		// Years in Chinese numerals (一九七四年) are read as the Arabic ones.
		sentence = spellCNYears(sentence)
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
		h := foldDigits(para.Path[i].Text)
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
		if e.reports[i].Report.Issuer == top.Report.Issuer {
			years[e.reports[i].Report.Year] = true
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
	before = foldDigits(before)
	if cnYearRe.MatchString(before) {
		// "一九八五年增加三百六十二亿元，全年总收入达到…": 1985.
		before = spellCNYears(before)
	}
	y := 0
	for _, m := range statedYear.FindAllStringSubmatch(before, -1) {
		if m[2] != "" {
			continue
		}
		v, _ := strconv.Atoi(strings.Join(strings.Fields(m[1]), ""))
		y = v
	}
	return y
}

// foldDigits turns full-width digits (１９９４年, as old reports write them)
// into ASCII ones; text without them is returned as is.
func foldDigits(s string) string {
	if !hasWideDigit(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// hasWideDigit reports whether s holds a full-width digit (U+FF10–U+FF19,
// encoded EF BC 90–99). It is strings.ContainsAny(s, "０１２３４５６７８９")
// without that function's cost on non-ASCII sets (a search of the set per
// rune of s): foldDigits runs on every sentence of every hit.
func hasWideDigit(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

package answer

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/corpus"
)

// Figure forms beyond "number + unit". The figure extractor leaves out, on
// purpose, what in general text names rather than counts: small Chinese
// numerals with a noun (“四张清单”, “四保障”), codes (12345), ranks
// (全省第二) and spans of years (2021—2025年). When a question asks for
// exactly such a form (几张清单, 哪个热线, 排第几, 哪几年), the sentence
// the reply shows is read for it: a figure chosen from the shown sentence
// whenever the sentence states what was asked.

// formKind is the kind of figure form a question asks for.
type formKind int

const (
	formNone formKind = iota
	// formCount asks 几+word: 几张清单, 几保障 (question.formWord).
	formCount
	// formNamedCount asks 几+noun where the noun is no counter: 几保障
	// (“四保障”); only the form answers it.
	formNamedCount
	// formCode asks for a hotline or telephone number.
	formCode
	// formRank asks for a place in a ranking: 排第几, 排名.
	formRank
	// formPeriod asks for a span of years: 哪几年, 什么时候到什么时候.
	formPeriod
)

// formNames word the forms for --explain.
var formNames = map[formKind]string{formCount: "count", formNamedCount: "named count", formCode: "code", formRank: "rank", formPeriod: "span of years"}

// countWordRe reads what a 几 question counts: 几张 (a counter), 几保障 (a
// named set). 几乎, 几何 and 几年来 are not counts.
var countWordRe = regexp.MustCompile(`几([\p{Han}]{1,2})`)

// notCountWord are the characters after 几 that do not make a count.
const notCountWord = "乎何率"

// codeCue asks for a hotline, telephone or service number.
var codeCue = regexp.MustCompile(`(热线|电话|号码|专线|服务号)[^，。,]{0,4}(多少|哪个|哪|什么|几)|(多少|哪个|哪条|哪|什么|啥)[^，。,]{0,4}(热线|电话|号码|专线)|打[^，。,]{0,6}(热线|电话)`)

// rankCue asks for a place in a ranking.
var rankCue = regexp.MustCompile(`第几|排名|名次|位次|排在|排第|位居|位列`)

// periodAskCue asks for a span of years.
var periodAskCue = regexp.MustCompile(`哪几年|哪些年|从哪年|什么时候到|到哪年|期限|年限|哪一年到`)

// readForm sets the figure form a question asks for, if any.
func readForm(q *question, cueText string) {
	switch {
	case codeCue.MatchString(q.norm):
		q.form = formCode
	case rankCue.MatchString(q.norm):
		q.form = formRank
	case periodAskCue.MatchString(q.norm):
		q.form = formPeriod
	default:
		for _, m := range countWordRe.FindAllStringSubmatch(cueText, -1) {
			w := m[1]
			if r, _ := utf8.DecodeRuneInString(w); strings.ContainsRune(notCountWord, r) {
				continue
			}
			q.form = formNamedCount
			if u := unitAfter("几" + w); u != "" {
				// 几张清单: a counter, which figures may have as their unit.
				w, q.form = u, formCount
			} else if first := string([]rune(w)[:1]); isCounter(first) {
				// 几宗, 几例: a counter the figures know, if the question
				// units do not.
				w, q.form = first, formCount
			}
			q.formWord = w
			q.formRe = regexp.MustCompile(smallNumeral + regexp.QuoteMeta(w))
			break
		}
	}
	if q.form != formNone && q.meta == metaNone {
		q.wantsNumber = true
	}
}

// isCounter reports whether c is a counter the figure extractor reads as
// a unit ("3宗" is a figure of unit 宗).
func isCounter(c string) bool {
	figs := corpus.ExtractFigures("3" + c)
	return len(figs) == 1 && figs[0].Unit == c
}

// smallNumeral is a count in Chinese or Arabic numerals: 四, 两, 十二, 3.
const smallNumeral = `[一二两三四五六七八九十百\d]+`

var (
	codeRe   = regexp.MustCompile(`\d{3,8}(?:-\d{3,8})?`)
	rankRe   = regexp.MustCompile(`(?:全国|全省|全市|全区|全县|全州|中部|西部|东部|东北|同类)?[^，。；,;]{0,4}第` + smallNumeral + `(?:位|名)?`)
	periodRe = regexp.MustCompile(`(?:19|20)\d\d\s*(?:年)?\s*(?:—|－|-|–|～|~|至|到)\s*(?:19|20)\d\d\s*年`)
)

// codeNear are the words a code must stand near to be a hotline.
var codeNear = []string{"热线", "电话", "号码", "专线"}

// maxCodeGap is how far (bytes: twelve Han characters) a code may stand
// from its word: “12345”政务服务便民热线.
const maxCodeGap = 36

// formFigure finds in sentence the figure form q asks for: its text and
// byte range. ok is false when the sentence does not state it.
func formFigure(q *question, sentence string) (f corpus.Figure, ok bool) {
	var loc []int
	switch q.form {
	case formCount, formNamedCount:
		loc = q.formRe.FindStringIndex(sentence)
	case formCode:
		for _, m := range codeRe.FindAllStringIndex(sentence, -1) {
			lo, hi := max(0, m[0]-maxCodeGap), min(len(sentence), m[1]+maxCodeGap)
			for _, w := range codeNear {
				if strings.Contains(sentence[lo:hi], w) {
					loc = m
					break
				}
			}
			if loc != nil {
				break
			}
		}
	case formRank:
		if m := rankRe.FindStringIndex(sentence); m != nil {
			// The rank itself: from 第 on, with the scope before it shown in the excerpt.
			at := m[0] + strings.Index(sentence[m[0]:m[1]], "第")
			loc = []int{at, m[1]}
		}
	case formPeriod:
		loc = periodRe.FindStringIndex(sentence)
	}
	if loc == nil {
		return corpus.Figure{}, false
	}
	text := sentence[loc[0]:loc[1]]
	f = corpus.Figure{Text: text, Start: loc[0], End: loc[1]}
	if q.form == formCount || q.form == formNamedCount {
		num := strings.TrimSuffix(text, q.formWord)
		if v, err := strconv.ParseFloat(num, 64); err == nil {
			f.Value = v
		} else if v, ok := corpus.ParseChineseNumber(num); ok {
			f.Value = v
		}
		f.Unit = q.formWord
	}
	return f, true
}

// maxFormSentences is how many of the relevant sentences are read for the
// form a question asks.
const maxFormSentences = 20

// answerForm answers a question asking for a figure form from the best
// relevant sentences that state it; nil when none does.
func (e *Engine) answerForm(q *question, cands []*candidate, relevant func(*candidate) bool) *Answer {
	if q.form == formNone {
		return nil
	}
	tried := 0
	for _, c := range cands {
		if !relevant(c) || c.conflict {
			continue
		}
		if tried++; tried > maxFormSentences {
			break
		}
		f, ok := formFigure(q, c.para.Text[c.sStart:c.sEnd])
		if !ok {
			continue
		}
		f.Start += c.sStart
		f.End += c.sStart
		fc := *c
		fc.fig = &f
		a := &Answer{Answered: true, Figure: &Figure{Text: f.Text, Value: f.Value, Unit: f.Unit}}
		a.Answers = e.passages(q, cands, &fc, true)
		return a
	}
	return nil
}

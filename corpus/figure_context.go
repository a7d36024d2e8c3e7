package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// Context rule (figureContext). The answer engine matches question words
// against Figure.Context, so it must name what was counted:
//
//  1. Before: the text between the start of the clause (after the last
//     ，,。；;：:、！？ or line break) or the end of the previous figure,
//     whichever is later, and the figure's approximation prefix.
//  2. Cleaned: quotes and brackets dropped; leading time and discourse
//     phrases (2023年, 今年以来, 全年, 其中 ...) dropped; the adverbs
//     共/共计/累计/总计/合计 dropped wherever they stand as words; trailing
//     verbs and fillers (达到 为 实现 完成 均 分别 平均 ...) dropped; leading
//     共/累计/完成/实现 dropped; at most maxBeforeRunes runes, nearest the
//     number. "今年来全县共办理行政复议案件45件" → "全县办理行政复议案件".
//  3. Inherited subject: when what is left is empty, only a trend verb
//     (增长, 下降, 同比增长 ...) or an anaphoric noun (总量, 规模 ...) and an
//     earlier figure stands in the same sentence, the earlier figure's
//     subject is put in front: "国内生产总值达到134.9万亿元、增长5%" →
//     "国内生产总值", "国内生产总值增长"; "地区生产总值增长5.8%、总量达到
//     60013亿元" → "地区生产总值总量".
//  4. After: when the unit is a classifier (个 项 件 家 名 ...) or a bare
//     万/亿, the noun phrase that follows (up to a verb, punctuation, a
//     number or maxAfterRunes runes) is appended: "全县20个乡镇" → "全县乡镇",
//     "创新21个信用场景应用" → "创新信用场景应用".
const (
	maxBeforeRunes = 20
	maxAfterRunes  = 12
)

// figureContext fills in Context for each span.
func figureContext(text string, spans []figSpan) {
	prevSubject := ""
	prevEnd := -1
	for k := range spans {
		sp := &spans[k]
		lo := clauseStart(text, sp.lo)
		if prevEnd > lo {
			lo = prevEnd
		}
		before := cleanBefore(text[lo:sp.lo])
		after := ""
		if sp.count || before == "" {
			after = afterPhrase(text, sp.hi)
		}
		sameSentence := prevEnd >= 0 && !strings.ContainsAny(text[prevEnd:sp.lo], zhtext.SentenceEnders+zhtext.Semicolons+"\n")
		var subject string
		switch {
		case before == "" && after != "":
			// "50%以上村卫生室实现…": the counted thing follows the number.
			subject = after
		case (before == "" || isTrendOnly(before)) && sameSentence && prevSubject != "":
			subject = prevSubject
			before = prevSubject + before
		default:
			subject = trimTrend(before)
		}
		sp.fig.Context = before + after
		prevSubject = subject
		prevEnd = sp.hi
	}
}

// clauseStart returns the offset just after the last clause boundary before
// i: a zhtext.ClauseBoundaries rune, the enumeration comma, a line break
// or a tab.
func clauseStart(text string, i int) int {
	return zhtext.ClauseStart(text[:i], zhtext.ClauseBoundaries+zhtext.EnumerationComma+"\n\r\t")
}

// dropRunes are removed from Context: quotes and brackets carry no words.
const dropRunes = zhtext.QuoteMarks + "〈〉「」『』 　—"

// leadingFillers are time and discourse phrases that open a clause but do
// not say what was counted.
var leadingFillers = []string{"截至目前", "今年以来", "去年以来", "今年来", "一年来", "过去一年", "五年来", "全年", "今年",
	"去年", "当年", "同期", "其中", "此外", "同时", "另外", "目前", "截至", "年内", "共计", "累计", "共", "完成", "实现"}

// innerFillers are adverbs removed wherever they stand: they sit between
// the subject and the verb ("全县共办理").
var innerFillers = []string{"今年以来", "今年来", "共计", "累计", "总计", "合计"}

// trailingFillers are verbs and adverbs between the counted thing and the number.
var trailingFillers = []string{"共计", "总计", "合计", "累计", "分别", "达到", "高达", "多达", "共有", "现有", "已有", "拥有",
	"已经", "实现", "完成", "突破", "平均", "为", "达", "约", "均", "已", "了", "有", "是", "共", "的"}

// trendVerbs say how a figure changed; alone they do not name what was counted.
var trendVerbs = []string{"增长", "下降", "提高", "增加", "减少", "上涨", "下跌", "降低", "上升", "回落", "扩大", "缩小",
	"提升", "增幅", "增速", "降幅", "涨幅", "分别增长", "同比增长", "同比下降", "同比提高", "比上年增长", "年均增长", "增长了", "下降了", "占比",
	// Verbs that set a level: "粮食总产量连续9年稳定在1300亿斤以上".
	"稳定在", "保持在", "控制在", "增至", "升至", "降至", "提高到", "提高至", "提升至", "提升到", "增加到", "增加至",
	"下降到", "下降至", "减少到", "减少至", "扩大到", "扩大至", "分别增至", "分别达到"}

// cleanBefore applies rule 2 of the Context rule.
func cleanBefore(s string) string {
	if strings.ContainsAny(s, dropRunes) {
		s = strings.Map(func(r rune) rune {
			if strings.ContainsRune(dropRunes, r) {
				return -1
			}
			return r
		}, s)
	}
	s = stripLeading(s)
	for _, f := range innerFillers {
		s = strings.ReplaceAll(s, f, "")
	}
	s = removeGong(s)
	for changed := true; changed; {
		changed = false
		for _, f := range trailingFillers {
			if strings.HasSuffix(s, f) && !keepTrailing(s, f) {
				s = s[:len(s)-len(f)]
				changed = true
				break // rescan from the longest filler: 平均为 → 平均 → "", not 平
			}
		}
	}
	s = stripLeading(s)
	if n := utf8.RuneCountInString(s); n > maxBeforeRunes {
		rs := []rune(s)
		s = string(rs[n-maxBeforeRunes:])
	}
	return s
}

// stripLeading removes leading fillers and dates (2023年, 2023年度, 3月, 截至2024年底).
func stripLeading(s string) string {
	for changed := true; changed && s != ""; {
		changed = false
		for _, f := range leadingFillers {
			if strings.HasPrefix(s, f) && len(s) > len(f) {
				s = s[len(f):]
				changed = true
			}
		}
		if t := stripDate(s); t != s {
			s = t
			changed = true
		}
		for _, c := range []string{"和", "及", "与", "或", "而", "并", "了", "的"} {
			if strings.HasPrefix(s, c) {
				s = s[len(c):]
				changed = true
			}
		}
	}
	return s
}

// stripDate removes a leading Arabic date: digits followed by 年/月 and an
// optional 度/底/末/初/以来/份/来.
func stripDate(s string) string {
	j := 0
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !zhtext.IsDigit(r) {
			break
		}
		j += size
	}
	if j == 0 {
		return s
	}
	rest := s[j:]
	switch {
	case strings.HasPrefix(rest, "年"), strings.HasPrefix(rest, "月"):
		rest = rest[len("年"):]
	default:
		return s
	}
	for _, t := range []string{"以来", "度", "底", "末", "初", "份", "来"} {
		if strings.HasPrefix(rest, t) {
			rest = rest[len(t):]
			break
		}
	}
	return rest
}

// removeGong removes the adverb 共 ("in total") but not 共 inside words
// such as 公共, 共同, 共享, 中共.
func removeGong(s string) string {
	if !strings.Contains(s, "共") {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for k, r := range rs {
		if r == '共' {
			var p, n rune
			if k > 0 {
				p = rs[k-1]
			}
			if k+1 < len(rs) {
				n = rs[k+1]
			}
			if !strings.ContainsRune("公中总一", p) && !strings.ContainsRune("同享建治识产富赢性创商育管担生济和青振用谋", n) {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// keepTrailing reports whether the one-character filler f ending s is part
// of a word (直达, 作为, 成为) rather than a verb of its own.
func keepTrailing(s, f string) bool {
	if len(s) == len(f) || utf8.RuneCountInString(f) > 1 {
		return false
	}
	p := lastRune(s[:len(s)-len(f)])
	switch f {
	case "达":
		return strings.ContainsRune("直到送抵传下表发转通畅", p)
	case "为":
		return strings.ContainsRune("作成行认因称更较最", p)
	case "约":
		return strings.ContainsRune("节制签条公契履集预违守特简婉盟", p)
	case "有":
		return strings.ContainsRune("所没具", p)
	case "均":
		return strings.ContainsRune("人户亩年日月", p)
	}
	return false
}

// anaphoricNouns name an aspect of the subject already named in the
// sentence ("地区生产总值增长5.8%、总量达到60013亿元"): alone they do not
// say what was counted.
var anaphoricNouns = []string{"总量", "总额", "规模", "总规模", "经济总量", "增速", "增幅", "总数"}

// isTrendOnly reports whether s is nothing but a trend verb or an
// anaphoric noun such as 总量.
func isTrendOnly(s string) bool {
	for _, v := range trendVerbs {
		if s == v {
			return true
		}
	}
	for _, v := range anaphoricNouns {
		if s == v {
			return true
		}
	}
	return false
}

// trimTrend removes a trailing trend verb, leaving the subject ("国内生产总值增长" → "国内生产总值").
func trimTrend(s string) string {
	for _, v := range trendVerbs {
		if strings.HasSuffix(s, v) && len(s) > len(v) {
			return s[:len(s)-len(v)]
		}
	}
	return s
}

// afterStops end the noun phrase after a classifier: verbs, particles and
// conjunctions that begin the predicate or the next item.
var afterStops = []string{"实现", "开展", "进行", "建立", "完成", "参与", "参加", "获得", "达到", "通过", "纳入", "落实",
	"主动", "全面", "覆盖", "累计", "得到", "受益", "列入", "荣获", "提供", "发放", "处理", "入选", "分别", "涉及",
	"同比", "增长", "下降", "以上", "左右", "实施", "开工", "建成", "完工", "投产", "签约", "接受", "进驻", "全部",
	"基本", "超过", "成功", "新增", "正式", "率先", "首次", "已经", "聘请", "获评", "被", "均", "的", "和", "与",
	"及", "或", "在", "为", "是", "已", "有", "等", "占", "达", "获", "向", "对", "将", "把"}

// afterPhrase returns the noun phrase starting at text[i:] (rule 4).
func afterPhrase(text string, i int) string {
	var b strings.Builder
	n := 0
	for j := i; j < len(text) && n < maxAfterRunes; {
		r, size := utf8.DecodeRuneInString(text[j:])
		if strings.ContainsRune(zhtext.QuoteMarks, r) {
			j += size
			continue
		}
		if !unicode.Is(unicode.Han, r) {
			break
		}
		if _, ok := cnDigit(r); ok {
			break // the next item of a list: 20个乡镇3000余个终端
		}
		if r == '等' && n > 0 && strings.ContainsRune("高中初同平均对相次", lastRune(b.String())) {
			// 高等, 中等: part of the noun, not "and so on".
			b.WriteRune(r)
			n++
			j += size
			continue
		}
		stop := false
		for _, w := range afterStops {
			if strings.HasPrefix(text[j:], w) {
				stop = true
				break
			}
		}
		if stop {
			break
		}
		b.WriteRune(r)
		n++
		j += size
	}
	return b.String()
}

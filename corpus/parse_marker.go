package corpus

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// markerKind is a style of heading numbering. Kinds are ordered by nominal
// depth: a heading of a smaller rank encloses headings of larger ranks. The
// ranks only need to be ordered; the levels reported in Heading.Level are the
// depth of the heading in the path actually built, so a report that skips a
// level (no 一、, only （一）) still gets level 1 for its outermost headings.
type markerKind int

const (
	kindNone      markerKind = 0
	kindAppendix  markerKind = 3  // 附件, 附件1, 附录: unmarked, encloses everything
	kindUnmarked  markerKind = 5  // 结束语, 名词解释, "2024年工作回顾" in reports without 一、
	kindChapter   markerKind = 10 // 第一章, 第一部分, 第一篇, 第一编
	kindSection   markerKind = 20 // 第一节
	kindCN        markerKind = 30 // 一、 一． and a bare 一 on its own line
	kindParenCN   markerKind = 40 // （一） (一)
	kindShi       markerKind = 45 // 一是…, only as a short line of its own
	kindOrdinal   markerKind = 47 // 第一，… 第一、…, only as a short line of its own
	kindArabic    markerKind = 50 // 1. 1、 １． 1．
	kindParenArab markerKind = 60 // （1） (1) （１）
)

// marker is the numbering found at the start of a line.
type marker struct {
	kind markerKind
	text string // the marker as written: "（一）", "1.", "第一章"
	num  int
	// standaloneOnly kinds (一是, 第一，) are headings only when the line is
	// a short line of its own: inside paragraphs they enumerate points.
	standaloneOnly bool
}

// Limits on heading length, in runes. A line that carries a marker but is
// longer is an enumerated paragraph (a list item), not a heading.
const (
	maxStandaloneHeading = 40 // "一、主要工作和成效" standing alone on its line
	maxInlineHeading     = 60 // first sentence of "（一）聚力稳增长，…。坚持把…"
	maxUnmarkedHeading   = 30 // "2024年工作回顾", "结束语"
)

const cnDigits = "〇零一二三四五六七八九十百两"

func isCNDigit(r rune) bool { return strings.ContainsRune(cnDigits, r) }

// cnNumber converts a Chinese numeral of up to a few hundred (一, 十二,
// 二十七, 一百零三, 两) to an int; ok is false for anything else.
func cnNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	val := map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	total, cur := 0, 0
	seen := false
	for _, r := range s {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		case '百':
			if cur == 0 {
				cur = 1
			}
			total += cur * 100
			cur = 0
		default:
			v, ok := val[r]
			if !ok {
				return 0, false
			}
			cur = v
		}
		seen = true
	}
	return total + cur, seen
}

// takeWhile returns the longest prefix of s whose runes satisfy f, at most max runes.
func takeWhile(s string, max int, f func(rune) bool) string {
	n := 0
	for i, r := range s {
		if !f(r) || n == max {
			return s[:i]
		}
		n++
	}
	return s
}

// parseMarker recognises the heading numbering at the start of s.
func parseMarker(s string) (marker, bool) {
	if s == "" {
		return marker{}, false
	}
	r0, w0 := utf8.DecodeRuneInString(s)
	switch {
	case r0 == '（' || r0 == '(':
		rest := s[w0:]
		if num := takeWhile(rest, 4, isCNDigit); num != "" {
			after := rest[len(num):]
			if c, w := utf8.DecodeRuneInString(after); c == '）' || c == ')' {
				if n, ok := cnNumber(num); ok && n > 0 {
					return marker{kind: kindParenCN, text: s[:w0+len(num)+w], num: n}, true
				}
			}
			return marker{}, false
		}
		if num := takeWhile(rest, 3, zhtext.IsDigit); num != "" {
			after := rest[len(num):]
			if c, w := utf8.DecodeRuneInString(after); c == '）' || c == ')' {
				if n := arabic(num); n > 0 {
					return marker{kind: kindParenArab, text: s[:w0+len(num)+w], num: n}, true
				}
			}
		}
		return marker{}, false
	case r0 == '第':
		rest := s[w0:]
		num := takeWhile(rest, 4, isCNDigit)
		n, ok := cnNumber(num)
		if !ok {
			if num = takeWhile(rest, 3, zhtext.IsDigit); num != "" {
				n, ok = arabic(num), true
			}
		}
		if !ok || n <= 0 {
			return marker{}, false
		}
		after := rest[len(num):]
		for _, unit := range []struct {
			word string
			kind markerKind
		}{{"章", kindChapter}, {"部分", kindChapter}, {"篇", kindChapter}, {"编", kindChapter}, {"节", kindSection}} {
			if strings.HasPrefix(after, unit.word) {
				return marker{kind: unit.kind, text: s[:w0+len(num)+len(unit.word)], num: n}, true
			}
		}
		if c, w := utf8.DecodeRuneInString(after); c == '，' || c == '、' || c == ',' {
			return marker{kind: kindOrdinal, text: s[:w0+len(num)+w], num: n, standaloneOnly: true}, true
		}
		return marker{}, false
	case isCNDigit(r0):
		num := takeWhile(s, 4, isCNDigit)
		n, ok := cnNumber(num)
		if !ok || n <= 0 {
			return marker{}, false
		}
		after := s[len(num):]
		if after == "" && utf8.RuneCountInString(num) <= 3 {
			// A bare numeral on its own line (1960 report: "一", "二").
			return marker{kind: kindCN, text: num, num: n}, true
		}
		c, w := utf8.DecodeRuneInString(after)
		switch c {
		case '、', '．', '.':
			return marker{kind: kindCN, text: s[:len(num)+w], num: n}, true
		case '是':
			return marker{kind: kindShi, text: s[:len(num)+w], num: n, standaloneOnly: true}, true
		}
		return marker{}, false
	case zhtext.IsDigit(r0):
		num := takeWhile(s, 3, zhtext.IsDigit)
		after := s[len(num):]
		c, w := utf8.DecodeRuneInString(after)
		if c != '.' && c != '．' && c != '、' {
			return marker{}, false
		}
		// "1.4万亿斤", "1、2月份": a digit after the dot is a number, not a list.
		if next, _ := utf8.DecodeRuneInString(after[w:]); zhtext.IsDigit(next) {
			return marker{}, false
		}
		if n := arabic(num); n > 0 {
			return marker{kind: kindArabic, text: s[:len(num)+w], num: n}, true
		}
	}
	return marker{}, false
}

func arabic(s string) int {
	n := 0
	for _, r := range s {
		d, _ := zhtext.DigitValue(r)
		n = n*10 + d
	}
	return n
}

// firstSentenceEnd returns the byte index of the first sentence terminator
// in s, or -1.
func firstSentenceEnd(s string) int {
	return strings.IndexFunc(s, zhtext.IsSentenceEnder)
}

// isBareMarker reports whether s is nothing but numbering ("一、", "（一）",
// "1."), which some sources put on a line of its own before the item text.
func isBareMarker(s string) bool {
	m, ok := parseMarker(s)
	if !ok || m.text != s {
		return false
	}
	// A bare "一" without punctuation is the 1960 report's heading style,
	// not a marker waiting for its text.
	return m.kind != kindCN || strings.ContainsAny(s, "、．.")
}

// normalizeDigits maps full-width digits to ASCII and drops spaces, so that
// "１９８９年３月２０日" and "1 9 9 7 年" read like "1989年3月20日".
func normalizeDigits(s string) string {
	return strings.Map(dropSpace, zhtext.FoldDigits(s))
}

// dropSpace is a strings.Map function that drops white space.
func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

// parseDatePrefix reads a date at the start of s (after normalizeDigits):
// 2024年3月5日, 2024年02月28日, 二〇二六年一月二十七日, 2024-02-28. It returns
// the date (UTC midnight) and the rest of s.
func parseDatePrefix(s string) (time.Time, string, bool) {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		if t, err := time.Parse("2006-01-02", s[:10]); err == nil {
			return t, s[10:], true
		}
	}
	// Year: four ASCII digits or four Chinese digits.
	var year int
	rest := s
	if y := takeWhile(rest, 4, func(r rune) bool { return r >= '0' && r <= '9' }); len(y) == 4 {
		year = arabic(y)
		rest = rest[4:]
	} else if y := takeWhile(rest, 4, func(r rune) bool { return strings.ContainsRune("〇零一二三四五六七八九", r) }); utf8.RuneCountInString(y) == 4 {
		for _, r := range y {
			d, _ := cnNumber(string(r))
			year = year*10 + d
		}
		rest = rest[len(y):]
	} else {
		return time.Time{}, s, false
	}
	if !strings.HasPrefix(rest, "年") {
		return time.Time{}, s, false
	}
	rest = rest[len("年"):]
	month, rest, ok := smallNumber(rest, "月")
	if !ok {
		return time.Time{}, s, false
	}
	day, rest2, ok := smallNumber(rest, "日")
	if !ok {
		if day, rest2, ok = smallNumber(rest, "号"); !ok {
			return time.Time{}, s, false
		}
	}
	if year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, s, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 2月30日
		return time.Time{}, s, false
	}
	return t, rest2, true
}

// smallNumber reads a 1–2 digit or Chinese numeral followed by unit.
func smallNumber(s, unit string) (int, string, bool) {
	if d := takeWhile(s, 2, func(r rune) bool { return r >= '0' && r <= '9' }); d != "" {
		if strings.HasPrefix(s[len(d):], unit) {
			return arabic(d), s[len(d)+len(unit):], true
		}
		return 0, s, false
	}
	d := takeWhile(s, 3, func(r rune) bool { return strings.ContainsRune("〇零一二三四五六七八九十", r) })
	if n, ok := cnNumber(d); ok && strings.HasPrefix(s[len(d):], unit) {
		return n, s[len(d)+len(unit):], true
	}
	return 0, s, false
}

package corpus

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// This file parses the numbers that figures are made of: Arabic numerals
// (half- or full-width, with thousands separators and decimals) and Chinese
// numerals (二十, 一千五百, 两万五, 一百零八, 四點二, traditional forms included).

// parseArabic parses an Arabic numeral at text[i:]: digits, thousands
// separators (',' or '，' followed by exactly three digits and then a
// non-digit, only while the groups are well formed) and one decimal point
// ('.' or '．' followed by a digit). It returns the value, the end offset and
// the number of integer digits; ok is false when text[i:] does not start
// with a digit.
func parseArabic(text string, i int) (val float64, end, intDigits int, decimal, ok bool) {
	var buf [64]byte
	b := buf[:0]
	j := i
	group := 0 // digits since the start or the last separator
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if d, isDigit := zhtext.DigitValue(r); isDigit {
			b = append(b, byte('0'+d))
			group++
			intDigits++
			j += size
			continue
		}
		if r == ' ' && group >= 1 && j+1 < len(text) && zhtext.IsDigit(firstRune(text[j+1:])) {
			// The 1998 report spaces its digits: "7 4 7 7 2 亿元".
			j++
			continue
		}
		if (r == ',' || r == '，') && group >= 1 && group <= 3 && threeDigitsThenStop(text, j+size) {
			group = 0
			j += size
			continue
		}
		break
	}
	if j == i {
		return 0, i, 0, false, false
	}
	// A decimal point counts only between digits: "1." in a heading is not 1.0.
	if j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == ' ' && j+1 < len(text) && (text[j+1] == '.' || strings.HasPrefix(text[j+1:], "．")) {
			r, size = utf8.DecodeRuneInString(text[j+1:])
			size++ // "8 ．8 ％"
		}
		if r == '.' || r == '．' {
			k := j + size
			frac := 0
			for k < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[k:])
				d, isDigit := zhtext.DigitValue(r2)
				if !isDigit {
					break
				}
				if frac == 0 {
					b = append(b, '.')
				}
				b = append(b, byte('0'+d))
				frac++
				k += s2
			}
			if frac > 0 {
				j = k
				decimal = true
			}
		}
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, i, 0, false, false
	}
	return v, j, intDigits, decimal, true
}

// threeDigitsThenStop reports whether text[j:] is exactly three digits
// followed by something that is not a digit (so "1,256" is one number but
// "1,2567" and "3,25" are not).
func threeDigitsThenStop(text string, j int) bool {
	for n := 0; n < 3; n++ {
		r, size := utf8.DecodeRuneInString(text[j:])
		if _, ok := zhtext.DigitValue(r); !ok {
			return false
		}
		j += size
	}
	if j >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[j:])
	_, isDigit := zhtext.DigitValue(r)
	return !isDigit
}

// arabicRunEnd returns the end of the run of digits, separators and points
// starting at i, so that a rejected number ("2024" in 2024年) is skipped as a
// whole rather than re-read from its second digit.
func arabicRunEnd(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if _, ok := zhtext.DigitValue(r); ok || r == '.' || r == '．' || r == ',' || r == '，' || r == ' ' {
			if _, ok := zhtext.DigitValue(r); !ok {
				// Only skip a point or comma that joins two digits.
				r2, _ := utf8.DecodeRuneInString(text[j+size:])
				if _, ok2 := zhtext.DigitValue(r2); !ok2 {
					break
				}
			}
			j += size
			continue
		}
		break
	}
	if j == i {
		_, size := utf8.DecodeRuneInString(text[i:])
		j = i + size
	}
	return j
}

// cnDigit maps Chinese digit characters to their values.
func cnDigit(r rune) (int, bool) {
	switch r {
	case '〇', '零':
		return 0, true
	case '一', '壹':
		return 1, true
	case '二', '两', '兩', '贰':
		return 2, true
	case '三', '叁':
		return 3, true
	case '四', '肆':
		return 4, true
	case '五', '伍':
		return 5, true
	case '六', '陆':
		return 6, true
	case '七', '柒':
		return 7, true
	case '八', '捌':
		return 8, true
	case '九', '玖':
		return 9, true
	}
	return 0, false
}

// cnSmallUnit maps 十 百 千 to their values.
func cnSmallUnit(r rune) (float64, bool) {
	switch r {
	case '十', '拾':
		return 10, true
	case '百', '佰':
		return 100, true
	case '千', '仟':
		return 1000, true
	}
	return 0, false
}

// cnBigUnit maps 万 and 亿 (simplified and traditional) to their values.
func cnBigUnit(r rune) (float64, bool) {
	switch r {
	case '万', '萬':
		return 1e4, true
	case '亿', '億':
		return 1e8, true
	}
	return 0, false
}

func isCNPoint(r rune) bool { return r == '点' || r == '點' }

// isCNNumeral reports whether r can be part of a Chinese numeral.
func isCNNumeral(r rune) bool {
	if _, ok := cnDigit(r); ok {
		return true
	}
	if _, ok := cnSmallUnit(r); ok {
		return true
	}
	_, ok := cnBigUnit(r)
	return ok
}

// chineseRunEnd returns the end of the Chinese numeral characters starting
// at i; a 点 is included only when a digit follows it ("四點二" but not "三点建议").
func chineseRunEnd(text string, i int) int {
	j := i
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		if isCNNumeral(r) {
			j += size
			continue
		}
		if isCNPoint(r) && j > i {
			r2, _ := utf8.DecodeRuneInString(text[j+size:])
			if _, ok := cnDigit(r2); ok {
				j += size
				continue
			}
		}
		break
	}
	return j
}

// ParseChineseNumber returns the value of a Chinese numeral such as 二十,
// 一千五百, 两万, 一百零八, 一万三千五百十三, 两万五 (25000), 一亿五千万,
// 三万亿 or 四點二. Traditional and financial forms (萬 億 兩 壹 贰) are
// accepted. Digit strings without place units (一九五四, 八五) are rejected:
// they are years and plan names, not quantities.
func ParseChineseNumber(s string) (float64, bool) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, false
	}
	intPart := rs
	var fracPart []rune
	for k, r := range rs {
		if isCNPoint(r) {
			intPart, fracPart = rs[:k], rs[k+1:]
			if len(fracPart) == 0 {
				return 0, false
			}
			break
		}
	}
	v, ok := parseCNInt(intPart)
	if !ok {
		return 0, false
	}
	if fracPart != nil {
		scale := 0.1
		for _, r := range fracPart {
			d, isDigit := cnDigit(r)
			if !isDigit {
				return 0, false
			}
			v += float64(d) * scale
			scale /= 10
		}
		// Round away binary noise from the digit-by-digit sum (4.2 not 4.2000000000000002).
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'f', len(fracPart), 64), 64)
	}
	return v, true
}

// parseCNInt parses the integer part of a Chinese numeral.
func parseCNInt(rs []rune) (float64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	total, section := 0.0, 0.0
	num := -1.0            // pending digit, -1 when none
	lastSmall := 1e4       // last 十/百/千 in this section; they must descend
	lastBig := math.Inf(1) // last 万/亿
	prevBig := false       // previous character was 万/亿 (for 万亿)
	zero := false          // a 零 since the last unit (disables the 一千五 = 1500 reading)
	units := 0
	lastUnitVal := 0.0 // value of the unit just before the pending digit
	for k, r := range rs {
		if d, ok := cnDigit(r); ok {
			if d == 0 {
				if k == 0 {
					return 0, false
				}
				zero = true
				prevBig = false
				continue
			}
			if num >= 0 {
				return 0, false // two digits in a row: 一九五四, 十四五
			}
			num = float64(d)
			prevBig = false
			continue
		}
		if u, ok := cnSmallUnit(r); ok {
			units++
			if num < 0 {
				// An implied 一 is allowed only for 十 (十二, 二百十七); 百 or
				// 千 without a digit (百姓, 千方百计) are not numbers.
				if u != 10 {
					return 0, false
				}
				num = 1
			}
			if u >= lastSmall {
				return 0, false
			}
			section += num * u
			num = -1
			lastSmall = u
			lastUnitVal = u
			zero = false
			prevBig = false
			continue
		}
		if b, ok := cnBigUnit(r); ok {
			units++
			if num >= 0 {
				section += num
				num = -1
			}
			switch {
			case prevBig && b > lastBig: // 万亿
				total *= b
			case section == 0:
				return 0, false
			case b > lastBig:
				total = (total + section) * b
			case b == lastBig:
				return 0, false
			default:
				total += section * b
			}
			section = 0
			lastSmall = 1e4
			lastBig = b
			lastUnitVal = b
			prevBig = true
			zero = false
			continue
		}
		return 0, false
	}
	if units == 0 && len(rs) > 1 {
		return 0, false
	}
	if num >= 0 {
		if !zero && lastUnitVal >= 100 {
			// 一千五 = 1500, 两万五 = 25000: a trailing digit after a unit
			// counts in the next lower place.
			section += num * lastUnitVal / 10
			if lastUnitVal >= 1e4 {
				total += section
				section = 0
			}
		} else {
			section += num
		}
	}
	return total + section, true
}

package corpus

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// init plugs the extractor into the paragraph parser (parse.go), which
// fills Paragraph.Figures through figureExtractor.
func init() { figureExtractor = ExtractFigures }

// ExtractFigures returns the statistics stated in a paragraph, in order of
// appearance. A statistic is a number with a unit or a 万/亿 magnitude:
// "45件", "1500余次", "25万元", "1.4万亿斤", "87.2%", "百分之三十六點九",
// "6600多万", "3%—5%". Bare numbers are not statistics, and neither are
// years (2024年, 2023年度), dates and times, ordinals (第3次), list markers,
// codes (5G, C919, 12345), plan and congress names (十四五, 二十大, 十九届四中全会)
// or slogans (两个确立, 四个意识): Chinese numerals below ten are figures only
// with a decimal, a percent or 倍, because otherwise they name things rather
// than count them.
//
// Text is the number, any 余/多 written inside it and the unit; Start and End
// are its byte offsets in text. Approximation words before the number
// (超过 近 约 逾 ...) and after the unit (左右 以上 ...) go into Approx only.
// A range ("3%—5%", "1—2个", "3至5年") is one figure whose Value is the lower
// and Max the upper bound. See figureContext for how Context is chosen.
//
// Traditional characters are read as simplified ones (FoldHan): "鋼二百十七萬噸"
// gives the figure Text "二百十七萬噸", as written, with Unit "万吨" and
// BaseUnit "吨"; Unit, BaseUnit, Approx and Context are in simplified form.
func ExtractFigures(text string) []Figure {
	orig := text
	text = FoldHan(text)
	var spans []figSpan
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var next int
		switch {
		case zhtext.IsDigit(r):
			next = arabicRunEnd(text, i)
		case strings.HasPrefix(text[i:], "百分之") || strings.HasPrefix(text[i:], "千分之"):
			next = i + len("百分之")
		case isCNNumeral(r):
			next = max(chineseRunEnd(text, i), i+size)
		default:
			i += size
			continue
		}
		if sp, ok := scanFigure(text, i, true); ok {
			spans = append(spans, sp)
			i = sp.fig.End
			continue
		}
		i = next
	}
	if len(spans) == 0 {
		return nil
	}
	figureContext(text, spans)
	out := make([]Figure, len(spans))
	for k := range spans {
		out[k] = spans[k].fig
		if len(orig) == len(text) && orig != text {
			// FoldHan keeps every byte offset: Text is cut from the original.
			out[k].Text = orig[out[k].Start:out[k].End]
		}
	}
	return out
}

// figSpan is a figure during extraction, with the extent of its approximation
// words and what Context needs to know about its unit.
type figSpan struct {
	fig    Figure
	lo, hi int  // Text plus any prefix/suffix approximation words
	count  bool // the unit is a classifier (or a bare 万/亿), so the noun after it is what was counted
}

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// number is a parsed numeral before its unit.
type number struct {
	start, end int     // the numeral (with 百分之 when written so)
	value      float64 // as written, before any magnitude
	repr       string  // decimal representation of value, for exact scaling
	chinese    bool
	intDigits  int    // Arabic: digits before the point
	decimal    bool   // written with a decimal point
	mag        string // a 万/亿 split off the end of a Chinese numeral (八千一百九十九萬)
	magExp     int
	percent    string // "%" or "‰" for 百分之/千分之
}

// readNumber parses the numeral at text[i:], applying the checks that look
// at the numeral itself and the characters around it.
func readNumber(text string, i int) (number, bool) {
	n := number{start: i}
	j := i
	if strings.HasPrefix(text[i:], "百分之") || strings.HasPrefix(text[i:], "千分之") {
		n.percent = "%"
		if strings.HasPrefix(text[i:], "千分之") {
			n.percent = "‰"
		}
		j += len("百分之")
		if strings.HasPrefix(text[j:], "百") && !isCNNumeral(firstRune(text[j+len("百"):])) {
			n.value, n.repr, n.end, n.chinese = 100, "100", j+len("百"), true
			return n, true
		}
	}
	if j >= len(text) {
		return n, false
	}
	prev := lastRune(text[:i])
	if prev == '第' || prev == '每' {
		return n, false // ordinals (第3次) and rates (每50公斤) are not statistics
	}
	r := firstRune(text[j:])
	if zhtext.IsDigit(r) {
		if n.percent == "" && (isASCIIAlnum(prev) || strings.ContainsRune("./_#\\@", prev) || isTimeColon(text[:i], prev)) {
			return n, false // C919, PM2.5, v1.2, 16:40
		}
		v, end, digits, dec, ok := parseArabic(text, j)
		if !ok {
			return n, false
		}
		nr := firstRune(text[end:])
		if isASCIIAlnum(nr) || ((nr == ':' || nr == '：') && zhtext.IsDigit(firstRune(text[end+utf8.RuneLen(nr):]))) {
			return n, false // 5G, 4K, 16:40
		}
		n.value, n.end, n.intDigits, n.decimal = v, end, digits, dec
		n.repr = strconv.FormatFloat(v, 'f', -1, 64)
		return n, true
	}
	if !isCNNumeral(r) {
		return n, false
	}
	if _, ok := cnSmallUnit(r); ok && r != '十' && r != '拾' {
		return n, false // 百姓, 千方百计
	}
	if _, ok := cnBigUnit(r); ok {
		return n, false // 万众, 亿万
	}
	if n.percent == "" && strings.ContainsRune("“《「『", prev) {
		return n, false // a quoted Chinese numeral names a campaign: “十项行动”, “两个确立”
	}
	if n.percent == "" && strings.ContainsRune("几数好若初周这那", prev) {
		return n, false // 几十个, 数十万, 上千, 初一: vague or not a count
	}
	end := chineseRunEnd(text, j)
	if strings.HasPrefix(text[end:], "几") {
		return n, false // 十几个
	}
	if strings.HasPrefix(text[end:], "分之") {
		// 三分之一: a fraction, normalized to a percentage like 百分之.
		den, ok := ParseChineseNumber(text[j:end])
		k := end + len("分之")
		numEnd := chineseRunEnd(text, k)
		if n.percent != "" || !ok || den < 2 || numEnd == k {
			return n, false
		}
		num, ok := ParseChineseNumber(text[k:numEnd])
		if !ok || num <= 0 {
			return n, false
		}
		n.value = num / den * 100
		n.repr = strconv.FormatFloat(n.value, 'f', -1, 64)
		n.percent, n.end, n.chinese, n.decimal = "%", numEnd, true, true
		return n, true
	}
	s := text[j:end]
	// Split a trailing 万/亿 off as the magnitude when the rest has none,
	// so that 八千一百九十九萬噸 reads as Number 8199, Unit 萬噸.
	base := s
	exp := 0
	for {
		b := lastRune(base)
		bv, ok := cnBigUnit(b)
		if !ok {
			break
		}
		base = base[:len(base)-utf8.RuneLen(b)]
		exp += int(math.Round(math.Log10(bv)))
	}
	if exp > 0 && base != "" && !strings.ContainsAny(base, "万萬亿億") {
		v, ok := ParseChineseNumber(base)
		if !ok {
			return n, false
		}
		n.value, n.mag, n.magExp = v, s[len(base):], exp
	} else {
		v, ok := ParseChineseNumber(s)
		if !ok {
			return n, false
		}
		n.value = v
	}
	n.end, n.chinese = end, true
	n.decimal = strings.ContainsAny(s, "点點")
	n.repr = strconv.FormatFloat(n.value, 'f', -1, 64)
	return n, true
}

// isTimeColon reports whether before ends with a colon preceded by a digit (16:40).
func isTimeColon(before string, prev rune) bool {
	if prev != ':' && prev != '：' {
		return false
	}
	return zhtext.IsDigit(lastRune(before[:len(before)-utf8.RuneLen(prev)]))
}

// quantity is a number with its magnitude and unit, as scanned.
type quantity struct {
	num     number
	inner   string // 余 or 多 written between number and unit
	magText string
	magExp  int
	unit    unitInfo
	hasUnit bool
	end     int // end of Text
}

// value returns the normalized value: the number scaled by its magnitude,
// computed in decimal so that 1.4万亿 is exactly 1.4e12.
func (q quantity) value() float64 {
	if q.magExp == 0 {
		return q.num.value
	}
	v, err := strconv.ParseFloat(q.num.repr+"e"+strconv.Itoa(q.magExp), 64)
	if err != nil {
		return q.num.value * math.Pow10(q.magExp)
	}
	return v
}

// readQuantity reads a number and whatever magnitude, 余/多 and unit follow it.
func readQuantity(text string, i int) (quantity, bool) {
	n, ok := readNumber(text, i)
	if !ok {
		return quantity{}, false
	}
	q := quantity{num: n, magText: n.mag, magExp: n.magExp, end: n.end}
	if n.percent != "" {
		q.unit = unitInfo{written: "", base: n.percent}
		q.hasUnit = true
		return q, true
	}
	pos := n.end
	if pos < len(text) && text[pos] == ' ' && strings.Contains(text[n.start:n.end], " ") {
		// Spaced digits ("8 ．7 平方米") are spaced from their unit too.
		if _, ok := matchUnit(text, pos+1); ok {
			pos++
		} else if _, ok := matchMagnitude(text, pos+1); ok {
			pos++
		}
	} else if pos < len(text) && text[pos] == ' ' && !n.chinese && n.mag == "" {
		// Old typesetting puts a space before the magnitude: "39.8 万亿元".
		if m, ok := matchMagnitude(text, pos+1); ok && m.exp >= 4 {
			pos++
		}
	}
	takeInner := func() {
		if q.inner == "" && (strings.HasPrefix(text[pos:], "余") || strings.HasPrefix(text[pos:], "多") || strings.HasPrefix(text[pos:], "餘")) {
			q.inner = text[pos : pos+len("余")]
			pos += len("余")
		}
	}
	takeInner()
	if u, ok := matchUnit(text, pos); ok && q.magText == "" {
		q.unit, q.hasUnit = u, true
		pos += len(u.written)
	} else {
		if q.magText == "" {
			if m, ok := matchMagnitude(text, pos); ok && (!n.chinese || m.exp >= 4) {
				q.magText, q.magExp = m.written, m.exp
				pos += len(m.written)
				takeInner()
				// 4万多亿元: 多 between 万 and 亿.
				if q.magExp == 4 && q.inner != "" && (strings.HasPrefix(text[pos:], "亿") || strings.HasPrefix(text[pos:], "億")) {
					q.magText += text[pos : pos+len("亿")]
					q.magExp += 8
					pos += len("亿")
				}
			}
		}
		if u, ok := matchUnit(text, pos); ok {
			q.unit, q.hasUnit = u, true
			pos += len(u.written)
		}
	}
	if !q.hasUnit {
		// Without a unit only an Arabic number with 万 or 亿 is a statistic
		// (6600多万纳税人); the trailing 余/多 is then part of it only when
		// it comes before the magnitude.
		if n.chinese || q.magExp < 4 || isASCIIAlnum(firstRune(text[pos:])) {
			return quantity{}, false // 两万, 3千; 1.6万P (a unit we do not know)
		}
		q.unit, q.hasUnit = unitInfo{count: true}, true
	}
	q.end = pos
	return q, acceptUnit(text, q)
}

// acceptUnit applies the checks that depend on the unit.
func acceptUnit(text string, q quantity) bool {
	after := text[q.end:]
	switch q.unit.base {
	case "年":
		// Years are not durations: 2024年, 1949年; nor are 80年代, 3年级.
		if !q.num.chinese && q.magExp == 0 && (q.num.intDigits >= 4 || q.num.value >= 1000) {
			return false
		}
		// Chinese numerals with 年 name goals and campaigns far more often
		// than they measure time: 建军一百年, 十年禁渔, 三年行动.
		if q.num.chinese {
			return false
		}
		if strings.ContainsRune("代级度", firstRune(after)) {
			return false
		}
	case "日":
		// 5日 is a date (3月5日) unless it is a time limit (30日内).
		if !strings.HasPrefix(after, "内") && !strings.HasPrefix(after, "以内") {
			return false
		}
	case "金":
		// 4金 (gold medals), but not 5金属 or 3金融.
		if strings.ContainsRune("属融额库价沙矿", firstRune(after)) {
			return false
		}
	case "次", "届":
		// Session numbers without 第: 八届十次全会, 十一届三中全会.
		if strings.HasPrefix(after, "全会") || strings.HasPrefix(after, "会议") || strings.HasPrefix(after, "全体会议") || strings.HasPrefix(after, "代表大会") {
			return false
		}
	}
	if q.num.chinese && !q.num.decimal && q.num.percent == "" && q.unit.base != "倍" && q.value() < 10 {
		// 两个确立, 四个意识, 三项制度, 一年来, 五年计划: small Chinese numerals name things.
		return false
	}
	return true
}

// rangeSeps join the two ends of a range.
var rangeSeps = []string{"——", "—", "–", "－", "-", "～", "~", "至", "到"}

// scanFigure reads the figure whose number starts at text[i:]. withRange
// allows a range ("3—5年") starting there.
func scanFigure(text string, i int, withRange bool) (figSpan, bool) {
	q, ok := readQuantity(text, i)
	if !ok {
		// A bare number may still open a range whose second end carries the
		// unit: "3—5年", "1-2个".
		n, nok := readNumber(text, i)
		if !withRange || !nok || n.percent != "" {
			return figSpan{}, false
		}
		q = quantity{num: n, end: n.end}
		if strings.HasPrefix(text[n.end:], "余") || strings.HasPrefix(text[n.end:], "多") {
			return figSpan{}, false
		}
		if m, ok := matchMagnitude(text, n.end); ok && m.exp >= 4 && !n.chinese {
			q.magText, q.magExp = m.written, m.exp
			q.end += len(m.written)
		}
	}
	f := Figure{}
	lo, hi := q.num.start, q.end
	maxVal := 0.0
	last := q
	if withRange {
		for _, sep := range rangeSeps {
			if !strings.HasPrefix(text[q.end:], sep) {
				continue
			}
			j := q.end + len(sep)
			r := firstRune(text[j:])
			if !zhtext.IsDigit(r) && !isCNNumeral(r) {
				break
			}
			q2, ok2 := readQuantity(text, j)
			if !ok2 || q2.num.chinese != q.num.chinese {
				break
			}
			if q.hasUnit && q.unit.base != q2.unit.base {
				break
			}
			if !q.hasUnit {
				q.unit, q.hasUnit = q2.unit, true
				if q.magExp == 0 {
					q.magExp = q2.magExp
				}
			}
			if q.unit.base == "年" && (q.num.value >= 1000 || q.num.intDigits >= 4) {
				return figSpan{}, false // 2021—2025年
			}
			maxVal = q2.value()
			last = q2
			hi = q2.end
			break
		}
	}
	if !q.hasUnit {
		return figSpan{}, false
	}
	if q.num.chinese && !q.num.decimal && q.num.percent == "" && q.unit.base != "倍" && math.Max(q.value(), maxVal) < 10 {
		return figSpan{}, false
	}
	f.Text = text[lo:hi]
	f.Start, f.End = lo, hi
	f.Number = q.num.value
	f.Unit = last.magText + last.unit.written
	if last.num.percent != "" {
		f.Unit = last.num.percent
	}
	f.BaseUnit = last.unit.base
	f.Value = q.value()
	f.Max = maxVal
	switch {
	case q.inner != "":
		f.Approx = q.inner
	case last.inner != "":
		f.Approx = last.inner
	}
	sp := figSpan{fig: f, lo: lo, hi: hi, count: last.unit.count}
	// Approximation before the number, also with 有 between ("约有六百个").
	before := text[:lo]
	gap := 0
	if strings.HasSuffix(before, "有") {
		if t := strings.TrimSuffix(before, "有"); strings.HasSuffix(t, "约") || strings.HasSuffix(t, "約") || strings.HasSuffix(t, "近") {
			before, gap = t, len("有")
		}
	}
	for _, a := range approxPrefixes {
		if !strings.HasSuffix(before, a) {
			continue
		}
		p := lastRune(before[:len(before)-len(a)])
		if a == "近" && strings.ContainsRune("最附临邻亲贴", p) ||
			(a == "约" || a == "約") && strings.ContainsRune("节制签条公契履集预违守特简婉盟", p) ||
			a == "超" && strings.ContainsRune("赶高", p) {
			break
		}
		if sp.fig.Approx == "" {
			sp.fig.Approx = a
		}
		sp.lo = lo - len(a) - gap
		break
	}
	for _, a := range approxSuffixes {
		if strings.HasPrefix(text[hi:], a) {
			if sp.fig.Approx == "" {
				sp.fig.Approx = a
			}
			sp.hi = hi + len(a)
			break
		}
	}
	return sp, true
}

package corpus

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Metadata read from the body, for texts whose header does not state it
// (a scraped text that starts at "各位代表：", a report whose title was
// lost). Each rule fills only what is still unknown, in this order:
//
//   - issuer: the government a speaker line names ("涞源县人民政府代县长"),
//     the title's place, the opening "我代表深圳市人民政府"; "我代表区人民政府"
//     names only the level, and the place is the name the text gives that
//     level's organs most often ("罗湖区政府", "罗湖区委"); last, the
//     signature at the end ("深圳市龙华区人民政府" over "2019年12月18日");
//   - a district (区) issuer without its city gets the city the text names
//     most ("深圳市") in front: 深圳市罗湖区人民政府, as district governments
//     name themselves;
//   - date: the signature's date, else the date of a scraped page's info line;
//   - year: of a work report, the year of its plan ("二、2025年工作安排") or
//     the year after its review ("一、2024年工作回顾");
//   - title: when the text has none, or only "政府工作报告", one is made from
//     the year, the place and the kind: "2025年深圳市政府工作报告",
//     "深圳市龙华区2019年法治政府建设工作报告".

var (
	// openingIssuer matches the opening of a work report: "我代表深圳市人民政府".
	openingIssuer = regexp.MustCompile(`我代表(国务院|\p{Han}{1,20}?(?:人民政府|政府))`)
	// levelOrgan finds a place of a given level named with its organs:
	// "罗湖区政府", "罗湖区委", "罗湖区人大". %s is the level.
	levelOrgan = `(\p{Han}{2,4})%s(?:人民政府|政府|委员会|委|人大|政协)`
	// cityName finds "深圳市" in running text.
	cityName = regexp.MustCompile(`(\p{Han}{2,4})市`)
	// districtIssuer is a district government named without its city.
	districtIssuer = regexp.MustCompile(`^(\p{Han}{2,6}区)人民政府$`)
	// signatureIssuer is the signature line of a report: "深圳市龙华区人民政府".
	signatureIssuer = regexp.MustCompile(`^\p{Han}{2,30}(?:人民政府|政府办公室|政府)$`)
	// planYear and reviewYear read a work report's year from its headings.
	planYear   = regexp.MustCompile(`([0-9]{4})年(?:工作安排|重点工作|主要任务|工作任务|工作建议|总体要求|政府工作|经济社会发展)`)
	reviewYear = regexp.MustCompile(`([0-9]{4})年(?:工作回顾|主要工作)`)
)

// notPlaceEnd are last characters of the Han run before 市/区 that make a
// common word rather than a place name (城市, 全市, 上市, 城区, 社区 …).
const notPlaceEnd = "城都全本我各该此超上股楼车夜集街门早房花债县省地区开闭入退副直特大小两三其市社园景片辖校库老灾禁专分商矿牧表和在与及由向对经为是的了级互"

// inferMeta fills what the header left unknown from the body (see above).
func inferMeta(r *Report, tm *textMeta) {
	if tm.Issuer == "" && tm.speakerIssuer != "" {
		r.Issuer = tm.speakerIssuer
	}
	sigIssuer, sigDate := signature(r.Paragraphs)
	if r.Issuer == "" {
		r.Issuer = openingGovernment(r.Paragraphs)
	}
	if r.Issuer == "" {
		r.Issuer = sigIssuer
	}
	if m := districtIssuer.FindStringSubmatch(r.Issuer); m != nil && !strings.Contains(m[1], "市") && !strings.HasSuffix(m[1], "自治区") && !strings.HasSuffix(m[1], "行政区") {
		if city := mostNamed(r.Paragraphs, cityName, "市", strings.TrimSuffix(m[1], "区")); city != "" {
			r.Issuer = city + "市" + r.Issuer
		}
	}
	if r.Published.IsZero() {
		switch {
		case !sigDate.IsZero():
			r.Published = sigDate
		case !tm.siteDate.IsZero():
			r.Published = tm.siteDate
		}
		if r.Year == 0 && !r.Published.IsZero() {
			r.Year = r.Published.Year()
		}
	}
	work := tm.speech || isWorkReport(r)
	if work {
		// A work report's year is that of its plan; a page date or a
		// signature may be of another year.
		if y := workReportYear(r.Headings); y != 0 && (r.Year == 0 || tm.Published.IsZero() && tm.Year == 0) {
			r.Year = y
		}
	}
	if (r.Title == "" || isGenericTitle(r.Title)) && r.Issuer != "" && r.Year != 0 {
		if t := makeTitle(r, work); t != "" {
			r.Title, r.titleMade = t, true
		}
	}
}

// openingGovernment returns the issuer the opening of a work report names:
// "我代表深圳市人民政府" → 深圳市人民政府; "我代表区人民政府" → the district the
// text names most with its organs.
func openingGovernment(ps []Paragraph) string {
	for _, p := range ps[:min(len(ps), 3)] {
		m := openingIssuer.FindStringSubmatch(p.Text)
		if m == nil {
			continue
		}
		gov := m[1]
		if gov == "国务院" {
			return gov
		}
		place := strings.TrimSuffix(strings.TrimSuffix(gov, "人民政府"), "政府")
		if !bareLevels[place] {
			return place + "人民政府"
		}
		level := strings.TrimPrefix(place, "全")
		re := regexp.MustCompile(fmt.Sprintf(levelOrgan, regexp.QuoteMeta(level)))
		if name := mostNamed(ps, re, level, ""); name != "" {
			return name + level + "人民政府"
		}
		return ""
	}
	return ""
}

// mostNamed returns the place name the paragraphs give most often in
// matches of re (whose group 1 is the Han run before the level word),
// other than skip: the name the text writes most often with the level word
// ("罗湖区"), at least twice; ties go to the name used most on its own. A
// match's run may start with words before the name ("推动罗湖区政府"): of its
// endings of two runes or more, the longest that the text uses at least
// half as often as the shortest is the name.
func mostNamed(ps []Paragraph, re *regexp.Regexp, level, skip string) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
		b.WriteByte('\n')
	}
	text := b.String()
	best, bestN, bestBare := "", 0, 0
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		name := placeName(m[1], text)
		if name == "" || name == skip || seen[name] {
			continue
		}
		seen[name] = true
		n, bare := countPlace(text, name+level), strings.Count(text, name)
		if n > bestN || n == bestN && bare > bestBare {
			best, bestN, bestBare = name, n, bare
		}
	}
	if bestN < 2 {
		return ""
	}
	return best
}

// wordAfterLevel are characters that make the level word part of another
// word: 市场, 市民, 市容, 市值, 市区, 市县, 区域, 区间, 县域 …
const wordAfterLevel = "场民容值区县况面貌域间别块位城"

// countPlace counts the uses of place (a name and its level word) in text
// that are not the start of another word ("实现市场" is not the place 实现市).
func countPlace(text, place string) int {
	n := 0
	for i := strings.Index(text, place); i >= 0; {
		next, _ := utf8.DecodeRuneInString(text[i+len(place):])
		if !strings.ContainsRune(wordAfterLevel, next) {
			n++
		}
		j := strings.Index(text[i+len(place):], place)
		if j < 0 {
			break
		}
		i += len(place) + j
	}
	return n
}

// placeName picks the name in run (see mostNamed), or "" when the run ends
// in a common word rather than a name.
func placeName(run, text string) string {
	rs := []rune(run)
	if len(rs) < 2 || strings.ContainsRune(notPlaceEnd, rs[len(rs)-1]) {
		return ""
	}
	short := string(rs[len(rs)-2:])
	base := strings.Count(text, short)
	name := short
	for n := 3; n <= len(rs); n++ {
		s := string(rs[len(rs)-n:])
		if strings.Count(text, s)*2 >= base {
			name = s
		}
	}
	return name
}

// signature reads the signature at the end of a report: the issuing
// government on one line and the date on the next.
func signature(ps []Paragraph) (string, time.Time) {
	for i := len(ps) - 1; i >= max(0, len(ps)-4); i-- {
		d, rest, ok := parseDatePrefix(normalizeDigits(ps[i].Text))
		if !ok || rest != "" || i == 0 {
			continue
		}
		if gov := ps[i-1].Text; signatureIssuer.MatchString(gov) && utf8.RuneCountInString(gov) <= 30 {
			if strings.HasSuffix(gov, "政府") && !strings.HasSuffix(gov, "人民政府") {
				gov = strings.TrimSuffix(gov, "政府") + "人民政府"
			}
			return gov, d
		}
		return "", d
	}
	return "", time.Time{}
}

// isWorkReport reports whether r is a 政府工作报告: its title says so, or it
// opens by addressing the deputies and reporting the government's work.
func isWorkReport(r *Report) bool {
	if strings.Contains(r.Title, "政府工作报告") {
		return true
	}
	for _, p := range r.Paragraphs[:min(len(r.Paragraphs), 3)] {
		if strings.Contains(p.Text, "报告政府工作") || strings.Contains(p.Text, "报告工作") && strings.Contains(p.Text, "代表") {
			return true
		}
	}
	return false
}

// isRuleOfLawReport reports whether r is a 法治政府建设 report: its first
// headings or paragraphs are about building a law-based government.
func isRuleOfLawReport(r *Report) bool {
	n := 0
	for _, h := range r.Headings[:min(len(r.Headings), 3)] {
		n += strings.Count(h.Text, "法治政府建设")
	}
	for _, p := range r.Paragraphs[:min(len(r.Paragraphs), 3)] {
		n += strings.Count(p.Text, "法治政府建设")
	}
	return n >= 2
}

// workReportYear reads the year of a work report from its headings.
func workReportYear(hs []Heading) int {
	for _, h := range hs {
		if m := planYear.FindStringSubmatch(normalizeDigits(h.Text)); m != nil {
			return arabic(m[1])
		}
	}
	for _, h := range hs {
		if m := reviewYear.FindStringSubmatch(normalizeDigits(h.Text)); m != nil {
			return arabic(m[1]) + 1
		}
	}
	return 0
}

// makeTitle names a report that has no title of its own, as its issuer
// would: "2025年深圳市政府工作报告", "深圳市龙华区2019年法治政府建设工作报告".
func makeTitle(r *Report, work bool) string {
	place := strings.TrimSuffix(r.Issuer, "人民政府")
	if r.Issuer == "国务院" {
		place = "中华人民共和国国务院"
	}
	switch {
	case work:
		return fmt.Sprintf("%d年%s政府工作报告", r.Year, place)
	case isRuleOfLawReport(r):
		return fmt.Sprintf("%s%d年法治政府建设工作报告", place, r.Year)
	}
	return ""
}

package corpus

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// textMeta is the metadata read from the text itself.
type textMeta struct {
	// Meta is what the header states: title, issuer, speaker, the
	// disclosure fields, the date and year, and the link a labelled header
	// states (来源URL：…). ID and Source are never set.
	Meta
	// issuerFromTitle is the weaker issuer guess taken from the title,
	// used only when neither the disclosure header nor the speech header names one.
	issuerFromTitle string
	// speakerIssuer is the government a speaker line names ("涞源县人民政府代县长").
	speakerIssuer string
	// siteDate is the date of a scraped page's info line, the weakest date.
	siteDate time.Time
	// speech is set when the header has a speech line: the report was
	// delivered to a people's congress.
	speech bool
}

// disclosureLabels maps the labels of the 政府信息公开 header of government
// sites to the field they fill.
var disclosureLabels = map[string]string{
	"索引号":    "index",
	"主题分类":   "topic",
	"发文日期":   "date",
	"成文日期":   "date",
	"发布日期":   "date",
	"发布机构":   "issuer",
	"发文机关":   "issuer",
	"发文单位":   "issuer",
	"文号":     "doc",
	"发文字号":   "doc",
	"标题":     "title",
	"文章标题":   "title",
	"发文时间":   "date",
	"发布时间":   "date",
	"成文时间":   "date",
	"来源URL":  "url",
	"来源url":  "url",
	"原文链接":   "url",
	"原文地址":   "url",
	"链接":     "url",
	"网址":     "url",
	"发文单位名称": "issuer",
	"发布单位":   "issuer",
}

// splitLabel splits a disclosure header line into label and value: "索引号"
// gives ("索引号", "", true), "索引号：0114" gives ("索引号", "0114", true).
func splitLabel(s string) (label, value string, ok bool) {
	if _, ok := disclosureLabels[s]; ok {
		return s, "", true
	}
	for l := range disclosureLabels {
		if rest, found := strings.CutPrefix(s, l); found {
			rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
			if v, found := strings.CutPrefix(rest, "："); found {
				return l, strings.TrimSpace(v), true
			}
			if v, found := strings.CutPrefix(rest, ":"); found {
				return l, strings.TrimSpace(v), true
			}
		}
	}
	return "", "", false
}

// isTitleLike reports whether the first line of a text is a title: short,
// no sentence punctuation, and naming a 报告.
func isTitleLike(s string) bool {
	if utf8.RuneCountInString(s) > 60 || strings.ContainsAny(s, zhtext.ClauseBoundaries) {
		return false
	}
	if _, ok := parseMarker(s); ok {
		return false
	}
	return strings.Contains(s, "报告") || strings.Contains(s, "報告")
}

var (
	// ordinal of the people's congress: 第十四届, 十四届, 第1届.
	congressOrdinal = regexp.MustCompile(`第?[一二三四五六七八九十〇0-9]+届`)
	// speaker titles; the name follows the last of them.
	speakerTitle = regexp.MustCompile(`(总理|省长|市长|主席|主任|县长|区长|州长|盟长)`)
	// "作政府工作报告。" and "的讲话" after the speaker in a speech line.
	speechTail = regexp.MustCompile(`(作政府工作报告|作工作报告|作报告|的讲话|讲话)[。.]?$`)
)

// congressNames are the ways a speech header names the people's congress.
var congressNames = []string{"人民代表大会", "人民代表會議", "人大"}

// bareLevels are venue prefixes that name a level of government but not the
// place ("在县十七届人民代表大会", "在市八届人大").
var bareLevels = map[string]bool{"省": true, "市": true, "县": true, "区": true, "州": true, "盟": true, "旗": true,
	"自治区": true, "自治州": true, "自治县": true, "自治旗": true, "全市": true, "全县": true, "全区": true}

// speech is what a speech header line says.
type speech struct {
	date    time.Time
	issuer  string
	speaker string
}

// parseSpeechLine reads a speech header: "——2024年3月5日在第十四届全国人民代表
// 大会第二次会议上", "2025年1月16日在湖北省第十四届人民代表大会第三次会议上湖北省
// 人民政府代省长李殿勋作政府工作报告。", "（2026年1月27日在贵州省…会议上）".
func parseSpeechLine(s string) (speech, bool) {
	if utf8.RuneCountInString(s) > 120 {
		return speech{}, false
	}
	n := normalizeDigits(s)
	n = strings.TrimLeft(n, zhtext.Dashes+"(（ \u3000")
	n = strings.TrimRight(n, ")） \u3000")
	date, rest, ok := parseDatePrefix(n)
	if !ok {
		// A venue line without the date: "（在深圳市罗湖区第八届人民代表大会
		// 第六次会议上）".
		if !strings.HasPrefix(n, "在") || !strings.HasSuffix(n, "会议上") {
			return speech{}, false
		}
		rest = n
	}
	congress := -1
	for _, c := range congressNames {
		if congress = strings.Index(rest, c); congress >= 0 {
			break
		}
	}
	if congress < 0 {
		return speech{}, false
	}
	at := strings.LastIndex(rest[:congress], "在")
	if at < 0 {
		return speech{}, false
	}
	sp := speech{date: date}
	before := rest[:at] // "自治区人民政府主席王莉霞" in the 内蒙古 header
	venue := rest[at+len("在"):]
	if strings.Contains(rest[at:congress], "全国") {
		sp.issuer = "国务院"
	} else if loc := congressOrdinal.FindStringIndex(venue); loc != nil && loc[0] > 0 && !bareLevels[venue[:loc[0]]] {
		// "在县十七届人民代表大会…" names only the level: the speaker line or
		// the title names the place.
		sp.issuer = venue[:loc[0]] + "人民政府"
	}
	// The speaker may follow the venue ("…会议上湖北省人民政府代省长李殿勋作…").
	after := ""
	for _, end := range []string{"会议上", "會議上", "大会上"} {
		if i := strings.Index(venue, end); i >= 0 {
			after = venue[i+len(end):]
			break
		}
	}
	after = speechTail.ReplaceAllString(after, "")
	switch {
	case before != "":
		sp.speaker = formatSpeaker(before)
	case after != "" && utf8.RuneCountInString(after) <= 30:
		sp.speaker = formatSpeaker(after)
	}
	return sp, true
}

// isSpeakerLine reports whether s, following a speech header, names the
// speaker: "国务院总理　李　强", "北京市市长 殷勇", "周恩来".
func isSpeakerLine(s string) bool {
	if utf8.RuneCountInString(s) > 30 || strings.ContainsAny(s, zhtext.Punctuation) {
		return false
	}
	if _, ok := parseMarker(s); ok {
		return false
	}
	if speakerTitle.MatchString(s) {
		return true
	}
	// A bare name of two to four Han characters.
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 4
}

// formatSpeaker renders a speaker as "title name" with the spaces that
// typesetting puts inside names removed: "国务院总理　李　强" → "国务院总理 李强".
func formatSpeaker(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, "同志")
	fields := strings.FieldsFunc(s, unicode.IsSpace)
	if len(fields) == 0 {
		return ""
	}
	if len(fields) > 1 && speakerTitle.MatchString(fields[0]) {
		return fields[0] + " " + strings.Join(fields[1:], "")
	}
	joined := strings.Join(fields, "")
	locs := speakerTitle.FindAllStringIndex(joined, -1)
	if len(locs) == 0 {
		return joined
	}
	end := locs[len(locs)-1][1]
	if end == len(joined) {
		// "龚正市长": name before title; put it the usual way round.
		start := locs[len(locs)-1][0]
		if n := utf8.RuneCountInString(joined[:start]); len(locs) == 1 && n >= 2 && n <= 4 {
			return joined[start:] + " " + joined[:start]
		}
		return joined
	}
	return joined[:end] + " " + joined[end:]
}

// isNoteLine reports whether s is a short parenthesised note in a speech
// header, such as "（根据直播整理）".
func isNoteLine(s string) bool {
	if _, ok := parseMarker(s); ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	l, _ := utf8.DecodeLastRuneInString(s)
	return (r == '（' || r == '(') && (l == '）' || l == ')') && utf8.RuneCountInString(s) <= 20
}

var (
	titleYear   = regexp.MustCompile(`([0-9]{4})年`)
	titlePlace  = regexp.MustCompile(`^(?:[0-9]{4}年)?(\p{Han}+?(?:省|市|自治区|特别行政区|县|区|州|盟|旗))(?:[0-9]{4}年)?政府工作报告`)
	titleIssuer = regexp.MustCompile(`^(\p{Han}+?人民政府)关于`)
)

// titleMeta derives the year and issuer a title states: "2025年湖北省政府工作
// 报告" gives 2025 and 湖北省人民政府. A year followed by 度 ("关于2023年度法治
// 政府建设工作报告") is the year under review, not the year of the report.
func titleMeta(title string) (year int, issuer string) {
	t := normalizeDigits(title)
	for _, m := range titleYear.FindAllStringSubmatchIndex(t, -1) {
		if !strings.HasPrefix(t[m[1]:], "度") {
			year = arabic(t[m[2]:m[3]])
			break
		}
	}
	if m := titleIssuer.FindStringSubmatch(t); m != nil {
		issuer = m[1]
	} else if m := titlePlace.FindStringSubmatch(t); m != nil {
		issuer = m[1] + "人民政府"
	}
	return year, issuer
}

// maxHeaderLines bounds the header: metadata and page chrome above the
// report's first body line.
const maxHeaderLines = 24

// genericTitles are titles that name only the kind of report; a more
// specific title line near them ("易县2025年政府工作报告" under a site's
// category line "工作报告") is the report's title.
var genericTitles = map[string]bool{"政府工作报告": true, "工作报告": true, "报告": true, "法治政府建设工作报告": true, "法治政府建设年度报告": true}

// isCategoryTitle reports whether s names only the kind of report, not even
// a year: a site's category line ("工作报告") or the bare "政府工作报告".
func isCategoryTitle(s string) bool { return genericTitles[strings.Trim(s, "《》 ")] }

// isGenericTitle reports whether s names no place: a category title, with
// or without a year ("2025年政府工作报告").
func isGenericTitle(s string) bool {
	s = strings.Trim(normalizeDigits(s), "《》 ")
	if loc := titleYear.FindStringIndex(s); loc != nil && loc[0] == 0 {
		s = strings.TrimPrefix(s[loc[1]:], "度") // "2025年政府工作报告" names no place either
	}
	return genericTitles[s]
}

// govSpeaker matches a speaker line that names the government and the
// office ("涞源县人民政府代县长 薛春雷"): its government is the issuer.
var govSpeaker = regexp.MustCompile(`^(\p{Han}{2,20}?人民政府)(代|副)?(总理|省长|市长|主席|县长|区长|州长|盟长|旗长)`)

// headerState is what parseHeader has seen so far.
type headerState struct {
	hasTitle, sawSpeech, sawSpeaker bool
}

// parseHeader consumes the metadata lines at the top of the body: title
// lines, a disclosure header (索引号 / 主题分类 / 发文日期 / 发布机构 / 文号 /
// 标题 / 发文单位 / 发文时间 / 来源URL, value on the same line after a colon or
// on the next line, possibly empty), a subtitle, a speech header with its
// speaker and notes, and the page chrome of scraped pages among them (site
// info line, counters, the site's abstract). It returns the number of lines
// consumed and which of them are chrome.
func parseHeader(lines []line, tm *textMeta) (int, []bool) {
	var st headerState
	chrome := make([]bool, 0, maxHeaderLines)
	i := 0
	take := func(isChrome bool) {
		chrome = append(chrome, isChrome)
		i++
	}
	if len(lines) > 1 && isTitleLike(lines[0].text) {
		tm.Title = lines[0].text
		st.hasTitle = true
		take(false)
	}
	for i < len(lines) && i < maxHeaderLines {
		t := lines[i].text
		if isSiteLine(t) || (i > 0 && chrome[i-1] && isCount(t)) {
			if d, ok := siteDate(t); ok {
				tm.siteDate = d
			}
			take(true)
			continue
		}
		if v, ok := abstractLabel(t); ok {
			take(true)
			if v == "" && i < len(lines) {
				take(true)
			}
			continue
		}
		if label, value, ok := splitLabel(t); ok {
			i++
			chrome = append(chrome, false)
			// The value is on the next line unless that line is another label,
			// is separated by a blank line, or reads like body text (文号 is
			// often empty and followed directly by the report).
			if value == "" && i < len(lines) && !lines[i].blankBefore {
				next := lines[i].text
				if _, _, isLabel := splitLabel(next); !isLabel && utf8.RuneCountInString(next) <= 60 && !strings.ContainsAny(next, "。；") {
					if _, isMarker := parseMarker(next); !isMarker {
						value = next
						take(false)
					}
				}
			}
			applyDisclosure(tm, label, value)
			continue
		}
		if n := speechLines(lines[i:], tm, &st); n > 0 {
			for range n {
				take(false)
			}
			continue
		}
		if !st.sawSpeaker && (st.sawSpeech && isSpeakerLine(t) || isGovSpeakerLine(t)) {
			tm.Speaker = formatSpeaker(t)
			if m := govSpeaker.FindStringSubmatch(strings.Join(strings.Fields(t), "")); m != nil {
				tm.speakerIssuer = m[1]
			}
			st.sawSpeaker = true
			take(false)
			continue
		}
		if st.sawSpeech && isNoteLine(t) {
			take(false)
			continue
		}
		if !st.sawSpeech && isTitleLike(t) {
			switch {
			case !st.hasTitle || isCategoryTitle(tm.Title) && !isGenericTitle(t):
				tm.Title = t
				st.hasTitle = true
			}
			take(false)
			continue
		}
		if st.hasTitle && !st.sawSpeech && isSubtitle(lines, i) {
			take(false)
			continue
		}
		break
	}
	if st.hasTitle {
		tm.Year, tm.issuerFromTitle = titleMeta(tm.Title)
	}
	if !tm.Published.IsZero() {
		tm.Year = tm.Published.Year()
	}
	return i, chrome
}

// speechLines reads a speech header at the top of ls: one line, or a bare
// date line followed by the venue line ("2025年1月14日" / "在易县第十八届人民代表
// 大会第五次会议上"). It records what it says in tm and returns the number of
// lines read (0 if none).
func speechLines(ls []line, tm *textMeta, st *headerState) int {
	sp, ok := parseSpeechLine(ls[0].text)
	n := 1
	if !ok && len(ls) > 1 {
		d := strings.Trim(normalizeDigits(ls[0].text), zhtext.Dashes+"(（)） ")
		if _, rest, isDate := parseDatePrefix(d); isDate && rest == "" {
			if sp, ok = parseSpeechLine(d + ls[1].text); ok {
				n = 2
			}
		}
	}
	if !ok {
		return 0
	}
	if tm.Published.IsZero() {
		tm.Published = sp.date
	}
	if sp.issuer != "" && tm.Issuer == "" {
		tm.Issuer = sp.issuer
	}
	if sp.speaker != "" {
		tm.Speaker = sp.speaker
		if m := govSpeaker.FindStringSubmatch(sp.speaker); m != nil {
			tm.speakerIssuer = m[1]
		}
		st.sawSpeaker = true
	}
	st.sawSpeech = true
	tm.speech = true
	return n
}

// isGovSpeakerLine reports whether s is a speaker line that names the
// government ("易县人民政府代县长 丁 磊"), which needs no speech line above it.
func isGovSpeakerLine(s string) bool {
	return isSpeakerLine(s) && govSpeaker.MatchString(strings.Join(strings.Fields(s), ""))
}

// siteDate reads the date of a site info line ("时间：2025-02-22 作者：…").
func siteDate(s string) (time.Time, bool) {
	loc := siteLabelRE.FindStringSubmatchIndex(s)
	if loc == nil || !strings.Contains(s[loc[2]:loc[3]], "时间") {
		return time.Time{}, false
	}
	v := strings.TrimSpace(normalizeDigits(s[loc[1]:]))
	d, _, ok := parseDatePrefix(v)
	return d, ok
}

// isSubtitle reports whether lines[i] is a subtitle between the title and a
// speech header ("坚决贯彻治理整顿和深化改革的方针").
func isSubtitle(lines []line, i int) bool {
	t := lines[i].text
	if utf8.RuneCountInString(t) > 80 || strings.ContainsAny(t, zhtext.SentenceEnders+zhtext.Semicolons) {
		return false
	}
	if _, ok := parseMarker(t); ok {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+2; j++ {
		if _, ok := parseSpeechLine(lines[j].text); ok {
			return true
		}
	}
	return false
}

func applyDisclosure(tm *textMeta, label, value string) {
	if value == "" {
		return
	}
	switch disclosureLabels[label] {
	case "index":
		tm.IndexNumber = value
	case "topic":
		tm.Topic = value
	case "date":
		if d, _, ok := parseDatePrefix(normalizeDigits(value)); ok {
			tm.Published = d
		}
	case "issuer":
		tm.Issuer = value
	case "doc":
		tm.DocNumber = value
	case "title":
		tm.Title = strings.Trim(value, "《》")
	case "url":
		if strings.HasPrefix(value, "http://") || strings.HasPrefix(value, "https://") {
			tm.URL = value
		}
	}
}

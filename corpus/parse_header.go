package corpus

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// textMeta is the metadata read from the text itself.
type textMeta struct {
	Title, Issuer, Speaker, DocNumber, IndexNumber, Topic string
	Published                                             time.Time
	Year                                                  int
	// issuerFromTitle is the weaker issuer guess taken from the title,
	// used only when neither the disclosure header nor the speech header names one.
	issuerFromTitle string
}

// disclosureLabels maps the labels of the 政府信息公开 header of government
// sites to the field they fill.
var disclosureLabels = map[string]string{
	"索引号":  "index",
	"主题分类": "topic",
	"发文日期": "date",
	"成文日期": "date",
	"发布日期": "date",
	"发布机构": "issuer",
	"发文机关": "issuer",
	"发文单位": "issuer",
	"文号":   "doc",
	"发文字号": "doc",
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
	if utf8.RuneCountInString(s) > 60 || strings.ContainsAny(s, "。，,；;！!？?：:") {
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
	n = strings.TrimLeft(n, "—―-－–(（")
	n = strings.TrimRight(n, ")）")
	date, rest, ok := parseDatePrefix(n)
	if !ok {
		return speech{}, false
	}
	congress := strings.Index(rest, "人民代表大会")
	if congress < 0 {
		congress = strings.Index(rest, "人民代表會議")
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
	} else if loc := congressOrdinal.FindStringIndex(venue); loc != nil && loc[0] > 0 {
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
	if utf8.RuneCountInString(s) > 30 || strings.ContainsAny(s, "。，,；;：:！!？?、") {
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

// parseHeader consumes the metadata lines at the top of the body: a title
// line, a disclosure header (索引号 / 主题分类 / 发文日期 / 发布机构 / 文号, value
// on the same line after a colon or on the next line, possibly empty), a
// subtitle, a speech header with its speaker and notes. It returns the
// number of lines consumed.
func parseHeader(lines []line, tm *textMeta) int {
	i := 0
	hasTitle := false
	if len(lines) > 1 && isTitleLike(lines[0].text) {
		tm.Title = lines[0].text
		hasTitle = true
		i = 1
	}
	sawSpeech, sawSpeaker := false, false
	for i < len(lines) && i < 16 {
		t := lines[i].text
		if label, value, ok := splitLabel(t); ok {
			i++
			// The value is on the next line unless that line is another label,
			// is separated by a blank line, or reads like body text (文号 is
			// often empty and followed directly by the report).
			if value == "" && i < len(lines) && !lines[i].blankBefore {
				next := lines[i].text
				if _, _, isLabel := splitLabel(next); !isLabel && utf8.RuneCountInString(next) <= 60 && !strings.ContainsAny(next, "。；") {
					if _, isMarker := parseMarker(next); !isMarker {
						value = next
						i++
					}
				}
			}
			applyDisclosure(tm, label, value)
			continue
		}
		if sp, ok := parseSpeechLine(t); ok {
			if tm.Published.IsZero() {
				tm.Published = sp.date
			}
			if sp.issuer != "" && tm.Issuer == "" {
				tm.Issuer = sp.issuer
			}
			if sp.speaker != "" {
				tm.Speaker = sp.speaker
				sawSpeaker = true
			}
			sawSpeech = true
			i++
			continue
		}
		if sawSpeech && !sawSpeaker && isSpeakerLine(t) {
			tm.Speaker = formatSpeaker(t)
			sawSpeaker = true
			i++
			continue
		}
		if sawSpeech && isNoteLine(t) {
			i++
			continue
		}
		if hasTitle && !sawSpeech && isSubtitle(lines, i) {
			i++
			continue
		}
		break
	}
	if hasTitle {
		tm.Year, tm.issuerFromTitle = titleMeta(tm.Title)
	}
	if !tm.Published.IsZero() {
		tm.Year = tm.Published.Year()
	}
	return i
}

// isSubtitle reports whether lines[i] is a subtitle between the title and a
// speech header ("坚决贯彻治理整顿和深化改革的方针").
func isSubtitle(lines []line, i int) bool {
	t := lines[i].text
	if utf8.RuneCountInString(t) > 80 || strings.ContainsAny(t, "。！？!?；;") {
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
	}
}

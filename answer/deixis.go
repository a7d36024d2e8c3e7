package answer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/govbot/govbot/corpus/place"
)

// Place levels: what a report's issuer governs, and what a word for the
// user's own place (咱们县, 省里) refers to. "any" is a deixis of no level
// (本地, 我们这里).
const (
	levelNational = "national"
	levelProvince = "province"
	levelCity     = "city"
	levelCounty   = "county"
	levelAny      = "any"
)

// levelNames words each level for the user.
var levelNames = map[string]string{levelProvince: "省级", levelCity: "市级", levelCounty: "县区级", levelAny: "地方"}

// municipalities are the provincial-level cities: 北京市 is a province.
var municipalities = []string{"北京", "天津", "上海", "重庆"}

// issuerLevel returns the level an issuer governs: from the division list
// (corpus/place) when it names a division, else read from its name's
// ending (国务院 national, …省/自治区/直辖市 province, …县/区/旗 county,
// …市/州/盟 city).
func issuerLevel(issuer string) string {
	if issuer == nationalIssuer {
		return levelNational
	}
	if p := place.Default().Issuer(issuer); p != nil {
		return levelOf[p.Level]
	}
	name := strings.TrimSuffix(strings.TrimSpace(issuer), "人民政府")
	for _, m := range municipalities {
		if name == m+"市" || name == m {
			return levelProvince
		}
	}
	switch {
	case strings.HasSuffix(name, "自治区"), strings.HasSuffix(name, "特别行政区"), strings.HasSuffix(name, "省"):
		return levelProvince
	case strings.HasSuffix(name, "县"), strings.HasSuffix(name, "区"), strings.HasSuffix(name, "旗"):
		return levelCounty
	case strings.HasSuffix(name, "市"), strings.HasSuffix(name, "州"), strings.HasSuffix(name, "盟"):
		return levelCity
	}
	return ""
}

// levelOf maps the division list's levels to the deixis levels.
var levelOf = map[place.Level]string{place.Country: levelNational, place.Province: levelProvince, place.Prefecture: levelCity, place.County: levelCounty}

// conversationPlace returns the issuer a word for the user's place of
// level means in a conversation about issuer p: p itself when of that
// level, or the indexed issuer of the division above p at that level (房县
// talked about, 咱们省 is 湖北省); "" when neither.
func (e *Engine) conversationPlace(p, level string) string {
	if p == "" {
		return ""
	}
	lv := issuerLevel(p)
	if level == levelAny && lv != levelNational || lv == level {
		return p
	}
	pl := e.PlaceOf(p)
	if pl == nil {
		return ""
	}
	var up *place.Place
	switch level {
	case levelProvince:
		up = pl.Province()
	case levelCity:
		up = pl.City()
	}
	if up == nil || up == pl {
		return ""
	}
	name := up.GovernmentName()
	e.mu.RLock()
	defer e.mu.RUnlock()
	for i := range e.reports {
		if e.reports[i].Issuer == name {
			return name
		}
	}
	return ""
}

// placeName is an issuer as a reply names a place: 房县人民政府 → 房县.
func placeName(issuer string) string {
	return strings.TrimSuffix(issuer, "人民政府")
}

// resolvePlace turns a question's word for the user's place into issuers:
// the conversation's place when it is of that level, else the corpus's only
// place of that level, else all of them, to be narrowed to those whose
// reports speak of the topic (choosePlace). It returns the reason to
// abstain when the corpus has no place of that level.
func (e *Engine) resolvePlace(q *question, s *Session) string {
	if q.place == "" || len(q.issuers) > 0 || q.unknownPlace != "" {
		return ""
	}
	if p := e.conversationPlace(s.Place(), q.place); p != "" {
		q.issuers, q.placeFrom = []string{p}, "conversation"
		return ""
	}
	e.mu.RLock()
	var matches []string
	seen := map[string]bool{}
	for i := range e.reports {
		is := e.reports[i].Issuer
		lv := issuerLevel(is)
		if seen[is] || lv == levelNational || (q.place != levelAny && lv != q.place) {
			continue
		}
		seen[is] = true
		matches = append(matches, is)
	}
	e.mu.RUnlock()
	switch len(matches) {
	case 0:
		return fmt.Sprintf("没有收录%s的报告，请在问题里写明地名。", levelNames[q.place])
	case 1:
		q.issuers, q.placeFrom = matches, "only"
	default:
		q.issuers, q.placeChoices, q.placeFrom = matches, matches, "topic"
	}
	return ""
}

// maxPlaceChoices bounds how many places a clarifying reply names.
const maxPlaceChoices = 6

// choosePlace answers a question whose place word may mean several places:
// the one place whose reports answer it, or a question back when several
// do. It returns nil when none does (the caller abstains as usual).
func (e *Engine) choosePlace(q *question, terms []term, sc scope, cands []*candidate) *Answer {
	byIssuer := map[string][]*candidate{}
	var order []string
	for _, c := range cands {
		is := c.rep.Issuer
		if _, ok := byIssuer[is]; !ok {
			order = append(order, is)
		}
		byIssuer[is] = append(byIssuer[is], c)
	}
	var good []string
	var first *Answer
	for _, is := range order {
		a := e.choose(q, terms, sc, byIssuer[is])
		if !a.Answered || (q.wantsNumber && a.Figure == nil) {
			continue
		}
		if first == nil {
			first = a
		}
		good = append(good, is)
	}
	switch len(good) {
	case 0:
		return nil
	case 1:
		q.issuers, q.placeFrom = good, "topic"
		return first
	}
	names := make([]string, 0, len(good))
	for i, is := range good {
		if i == maxPlaceChoices {
			break
		}
		names = append(names, placeName(is))
	}
	more := ""
	if len(good) > maxPlaceChoices {
		more = fmt.Sprintf("等%d个地方", len(good))
	}
	return &Answer{
		Reason: fmt.Sprintf("您问的是哪个地方？收录的报告中，%s%s都谈到了这个问题，请在问题里写明地名，例如“%s%s”。",
			strings.Join(names, "、"), more, names[0], strings.TrimSpace(q.phraseForExample())),
		Places: names,
	}
}

// phraseForExample is the question without its place word, to show how to
// ask again with a place named.
func (q *question) phraseForExample() string {
	s, _ := strings.CutSuffix(q.norm, "？")
	if _, rest := frames.findDeixis(s); rest != s {
		s = rest
	}
	return strings.Join(strings.Fields(s), "")
}

// questionCue marks the sentence of a message that asks: a message may
// open with a friendly sentence ("我在北京上班。") before the question.
var questionCue = regexp.MustCompile(`[?？]|多少|几[个件次项份场名家人条户所座张]?|什么|哪|怎|如何|是否|有没有|吗|呢|啥|咋|谁|对比|比较|分别`)

// messageSentenceEnd splits a message into sentences.
var messageSentenceEnd = regexp.MustCompile(`[。！!？?；;\n]+`)

// focusQuestion returns the sentence of raw that asks (the last one with a
// question cue) and the other sentences, which may name the place the
// question is about; raw and "" when raw is one sentence.
func focusQuestion(raw string) (question, context string) {
	var parts []string
	last := 0
	for _, m := range messageSentenceEnd.FindAllStringIndex(raw, -1) {
		parts = append(parts, raw[last:m[1]])
		last = m[1]
	}
	if last < len(raw) {
		parts = append(parts, raw[last:])
	}
	var kept []string
	for _, p := range parts {
		if strings.TrimSpace(messageSentenceEnd.ReplaceAllString(p, "")) != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) < 2 {
		return raw, ""
	}
	ask := -1
	for i := len(kept) - 1; i >= 0; i-- {
		if questionCue.MatchString(kept[i]) {
			ask = i
			break
		}
	}
	if ask < 0 {
		// No sentence asks in words ("我是老师。贵州2025年GDP"): the last
		// one is the question, as people write.
		ask = len(kept) - 1
	}
	rest := append(append([]string(nil), kept[:ask]...), kept[ask+1:]...)
	return kept[ask], strings.Join(rest, " ")
}

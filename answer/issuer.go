package answer

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/govbot/govbot/corpus/place"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/zhtext"
)

// issuerDirectory resolves the names users give places and bodies ("湖北",
// "湖北省", "全国", "罗湖", "深圳罗湖区") to the issuers of the indexed
// reports. Places are recognised by the division list of corpus/place, so a
// place without reports is known as such (丹江口, 青岛) instead of being
// answered from another place's report.
type issuerDirectory struct {
	// isPlace reports whether a word is a place name (from the dictionary's
	// part-of-speech tags); nil treats no word as a place. It catches
	// places the division list lacks.
	isPlace func(string) bool
	// places resolves division names; nil knows none.
	places *place.Resolver
	// words splits a text into words for places (index.WordEnds); nil
	// matches names anywhere.
	words place.WordEnds
	// byPlace lists the issuers governing each division (深圳市罗湖区 →
	// 深圳市罗湖区人民政府).
	byPlace map[*place.Place][]string
	// placeOf is the division each issuer governs (place.China for 国务院).
	placeOf map[string]*place.Place
	// aliases maps the names of issuers the division list does not resolve
	// (the national government, bodies with unusual names) to the
	// canonical issuer; order lists them longest first.
	aliases map[string]string
	order   []string
}

// nationalAliases name the State Council's reports: a question about 全国 or
// 我国 is about the national report.
var nationalAliases = []string{"国务院", "全国", "我国", "中国", "中央政府", "全国人大", "中华人民共和国"}

// adminSuffixes are stripped from issuer names to get their short forms, longest first.
var adminSuffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "省", "市", "县", "区", "州", "盟", "旗"}

// newIssuerDirectory builds the directory from the issuers of the indexed reports.
func newIssuerDirectory(issuers []string) *issuerDirectory {
	d := &issuerDirectory{
		places:  place.Default(),
		words:   index.WordEnds,
		byPlace: map[*place.Place][]string{},
		placeOf: map[string]*place.Place{},
		aliases: map[string]string{},
	}
	for _, is := range issuers {
		if is == "" {
			continue
		}
		p := d.places.Issuer(is)
		if p == place.China || strings.Contains(is, "国务院") {
			for _, a := range nationalAliases {
				d.addAlias(a, is)
			}
			d.addAlias(is, is)
			d.placeOf[is] = place.China
			continue
		}
		if p != nil {
			d.byPlace[p] = append(d.byPlace[p], is)
			d.placeOf[is] = p
			continue
		}
		// 龙华区人民政府 without its city: the issuer of each 龙华区, so
		// that a question naming one finds it.
		for _, p := range d.places.Lookup(is) {
			if p != place.China {
				d.byPlace[p] = append(d.byPlace[p], is)
			}
		}
		d.addIssuerAliases(is)
	}
	for a := range d.aliases {
		d.order = append(d.order, a)
	}
	sort.Slice(d.order, func(i, j int) bool {
		if len(d.order[i]) != len(d.order[j]) {
			return len(d.order[i]) > len(d.order[j])
		}
		return d.order[i] < d.order[j]
	})
	return d
}

func (d *issuerDirectory) addAlias(alias, issuer string) {
	if len([]rune(alias)) < 2 {
		return
	}
	if _, ok := d.aliases[alias]; !ok {
		d.aliases[alias] = issuer
	}
}

// addIssuerAliases adds an issuer the division list does not resolve by its
// name, the name without 人民政府, and that without its administrative suffix.
func (d *issuerDirectory) addIssuerAliases(is string) {
	d.addAlias(is, is)
	base := strings.TrimSuffix(strings.TrimSuffix(is, "人民政府"), "政府")
	d.addAlias(base, is)
	d.addAlias(base+"政府", is)
	for _, suf := range adminSuffixes {
		if short := strings.TrimSuffix(base, suf); short != base {
			d.addAlias(short, is)
			break
		}
	}
}

// placeMention is a place named in a question with the issuers of the
// indexed reports about it (none when the corpus has no report from it).
type placeMention struct {
	place.Mention
	issuers []string
}

// mentions returns the divisions named in s, each with its issuers. An
// ambiguous name (龙华区) means the candidates that have reports, if any.
// A place written with its ancestors (山东青岛, 湖北省的十堰) is one mention
// of the lower place.
func (d *issuerDirectory) mentions(s string) []placeMention {
	if d == nil || d.places == nil {
		return nil
	}
	var out []placeMention
	for _, m := range d.places.FindWords(s, d.words) {
		pm := placeMention{Mention: m}
		var withReports []*place.Place
		for _, p := range m.Places {
			if is := d.byPlace[p]; len(is) > 0 {
				withReports = append(withReports, p)
				pm.issuers = append(pm.issuers, is...)
			}
		}
		if len(withReports) > 0 {
			pm.Places = withReports
		}
		out = append(out, pm)
	}
	return out
}

// find returns the canonical issuers named in s (each once, in order of
// appearance) and s with those names blanked out. When s names a division
// with no indexed report, find returns no issuer and leaves that name in
// place for unknownPlace: a question about 丹江口 and 房县 is not answered
// from 房县's report alone.
func (d *issuerDirectory) find(s string) ([]string, string) {
	type hit struct {
		at     int
		issuer string
	}
	var hits []hit
	// Issuers the division list does not resolve (the national
	// government, 深圳市司法局) first, by their names.
	for _, a := range d.order {
		for {
			i := strings.Index(s, a)
			if i < 0 {
				break
			}
			hits = append(hits, hit{i, d.aliases[a]})
			s = s[:i] + strings.Repeat(" ", len(a)) + s[i+len(a):]
		}
	}
	unknown := false
	ms := d.mentions(s)
	for _, m := range ms {
		if len(m.issuers) == 0 {
			unknown = true
		}
	}
	if !unknown {
		// Blank from the end so that earlier offsets stay valid.
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			for _, is := range m.issuers {
				hits = append(hits, hit{m.Start, is})
			}
			s = s[:m.Start] + strings.Repeat(" ", m.End-m.Start) + s[m.End:]
		}
	}
	if unknown {
		return nil, s
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	var out []string
	seen := map[string]bool{}
	for _, h := range hits {
		if !seen[h.issuer] {
			seen[h.issuer] = true
			out = append(out, h.issuer)
		}
	}
	return out, s
}

// unknownPlace returns a place named in s that has no indexed reports: any
// division of the list by its name or short form (丹江口, 青岛市, 龙岗区), or
// a name ending in an administrative suffix (市, 县, 区 …) at the start of
// the question that the dictionary knows as a place.
func (d *issuerDirectory) unknownPlace(s string) string {
	for _, m := range d.mentions(s) {
		if len(m.issuers) == 0 {
			return m.Text
		}
	}
	t := strings.TrimLeft(s, " ")
	if m := placeSuffixRe.FindString(t); m != "" && d.isPlace != nil {
		if _, ok := d.aliases[m]; !ok && !genericPlace(m) && len(d.mentions(m)) == 0 {
			stem := m
			for _, suf := range adminSuffixes {
				if s := strings.TrimSuffix(m, suf); s != m {
					stem = s
					break
				}
			}
			if d.isPlace(m) || d.isPlace(stem) {
				return m
			}
		}
	}
	return ""
}

// genericPlace reports words ending like a place that are not one ("全市", "各县", "城区").
func genericPlace(s string) bool {
	r := []rune(s)
	if len(r) < 2 {
		return true
	}
	switch string(r[0]) {
	case "全", "各", "本", "我", "该", "此", "城", "市", "县", "省", "区", "新", "老", "社", "园", "景", "示", "试", "开", "高", "重", "自", "贸", "功":
		return true
	}
	for _, w := range []string{"城区", "社区", "园区", "景区", "示范区", "试验区", "开发区", "高新区", "自贸区", "功能区", "片区", "辖区", "地区", "山区", "库区", "矿区", "灾区", "牧区", "林区", "市场", "城市", "都市", "县城", "县域", "乡镇"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// placesNamed returns the divisions name names as a whole (深圳, 罗湖区,
// 深圳市罗湖区人民政府, 湘西州), or else the divisions named in it.
func (d *issuerDirectory) placesNamed(name string) []*place.Place {
	if ps := d.places.Lookup(name); ps != nil {
		return ps
	}
	var out []*place.Place
	for _, m := range d.mentions(name) {
		out = append(out, m.Places...)
	}
	return out
}

// IssuersNamed returns the issuers of indexed reports that name refers to:
// "湖北", "湖北省" → 湖北省人民政府; "罗湖", "深圳罗湖区" → 深圳市罗湖区人民政府;
// "全国", "国务院" → 国务院. It returns nil when name matches no indexed
// issuer, also when it names a place the corpus has no report from.
func (e *Engine) IssuersNamed(name string) []string {
	dir := e.directory()
	if dir == nil {
		return nil
	}
	name = normalize(name)
	var out []string
	for _, p := range dir.placesNamed(name) {
		out = appendNew(out, dir.byPlace[p]...)
	}
	if len(out) > 0 {
		return out
	}
	issuers, _ := dir.find(name)
	return issuers
}

// IssuersWithin returns the issuers of indexed reports from the place name
// refers to and from the places inside it: "深圳" → 深圳市人民政府 and
// 深圳市罗湖区人民政府; "湖北" → 湖北省人民政府 and 房县人民政府. For a name
// that is no division (国务院) it is IssuersNamed.
func (e *Engine) IssuersWithin(name string) []string {
	dir := e.directory()
	if dir == nil {
		return nil
	}
	ps := dir.placesNamed(normalize(name))
	if len(ps) == 0 || slices.Contains(ps, place.China) {
		return e.IssuersNamed(name)
	}
	var out []string
	for _, is := range e.issuerList() {
		if p := dir.placeOf[is]; p != nil && p != place.China {
			for _, q := range ps {
				if p.Within(q) {
					out = appendNew(out, is)
				}
			}
		}
	}
	return out
}

// PlaceOf returns the division an indexed report's issuer governs
// (深圳市罗湖区人民政府 → 罗湖区 of 深圳市; 国务院 → place.China), nil when
// the issuer is not indexed or names no division.
func (e *Engine) PlaceOf(issuer string) *place.Place {
	dir := e.directory()
	if dir == nil {
		return nil
	}
	return dir.placeOf[issuer]
}

// directory returns the engine's current issuer directory.
func (e *Engine) directory() *issuerDirectory {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.dir
}

// issuerList returns the issuers of the indexed reports, newest report first.
func (e *Engine) issuerList() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []string
	for i := range e.reports {
		out = appendNew(out, e.reports[i].Issuer)
	}
	return out
}

// appendNew appends the xs not yet in list.
func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if x != "" && !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

// askAbove answers a figure question about a place without reports (青岛,
// 襄阳) from the reports of the nearest division above it that has some
// (山东省, 湖北省), but only when the answer's sentence names the place and
// states the figure: "襄阳、宜昌经济总量突破6000亿元" answers 襄阳's; a
// province's own total never answers for its capital. It returns nil when
// no such sentence answers.
func (e *Engine) askAbove(ctx context.Context, q *question, focus string) (*Answer, error) {
	dir := e.directory()
	if !q.wantsNumber || q.meta != metaNone || dir == nil {
		return nil, nil
	}
	ms := dir.mentions(q.unknownPlace)
	if len(ms) != 1 || len(ms[0].Places) != 1 {
		return nil, nil
	}
	p := ms[0].Places[0]
	var issuers []string
	for _, a := range p.Ancestors() {
		if issuers = dir.byPlace[a]; len(issuers) > 0 {
			break
		}
	}
	if len(issuers) == 0 {
		return nil, nil
	}
	above := *q
	above.unknownPlace, above.issuers = "", issuers
	// The place's name is a word the answer must contain.
	above.content = strings.TrimSpace(shortName(p) + " " + q.content)
	sc := e.scope(&above, focus)
	if sc.empty != "" {
		return nil, nil
	}
	terms := questionTerms(&e.dfs, above.content)
	if len(terms) == 0 {
		return nil, nil
	}
	cands, err := e.candidates(ctx, &above, terms, sc)
	if err != nil {
		return nil, err
	}
	a := e.choose(&above, terms, sc, cands)
	if !a.Answered || a.Figure == nil || len(a.Answers) == 0 || !dir.namesPlace(a.Answers[0].Excerpt, a.Figure.Text, q.norm, p) {
		return nil, nil
	}
	e.noteYear(&above, sc, a)
	return a, nil
}

// shortName is the name a report most often uses for p: its first short
// form (深圳 for 深圳市), else its full name.
func shortName(p *place.Place) string {
	if len(p.Short) > 0 {
		return p.Short[0]
	}
	return p.Name
}

// namesPlace reports whether text states figure for p as the question
// asks it: p is named as a place in the clause that gives the figure, and
// as the head of the same area or body as in the question (asked 武汉, not
// answered by 武汉都市圈; asked 兰州新区, answered by 兰州新区).
func (d *issuerDirectory) namesPlace(text, figure, question string, p *place.Place) bool {
	at := strings.Index(text, figure)
	if at < 0 || d == nil || d.places == nil {
		return false
	}
	asked := ""
	for _, m := range d.places.FindWords(question, d.words) {
		if slices.Contains(m.Places, p) {
			asked = areaAfter.FindString(question[m.End:])
			break
		}
	}
	for _, m := range d.places.FindWords(text, d.words) {
		if m.End > at || !slices.Contains(m.Places, p) || areaAfter.FindString(text[m.End:]) != asked {
			continue
		}
		if !strings.ContainsAny(text[m.End:at], zhtext.FullStop+zhtext.Semicolons+zhtext.Commas) {
			return true
		}
	}
	return false
}

// areaAfter are words that make a place name the head of another area or
// body: 武汉都市圈, 成渝地区, 深圳机场, 广州港.
var areaAfter = regexp.MustCompile(`^(?:都市圈|经济圈|城市圈|城市群|都市区|地区|片区|新区|开发区|经开区|高新区|综合保税区|保税区|自贸片区|港|机场|口岸|海关|集团)`)

// IssuersAt returns the issuers of indexed reports that govern a division
// at level (place.County: 房县人民政府, 深圳市罗湖区人民政府), newest report
// first: the candidates for 县里 or 本县 when the conversation names none.
func (e *Engine) IssuersAt(level place.Level) []string {
	dir := e.directory()
	if dir == nil {
		return nil
	}
	var out []string
	for _, is := range e.issuerList() {
		if p := dir.placeOf[is]; p != nil && p.Level == level {
			out = append(out, is)
		}
	}
	return out
}

// namesDivision reports whether w is, as a whole, the name of one of
// China's divisions (十堰, 丹江口市), not merely a word the dictionary
// tags as a place (城镇).
func (e *Engine) namesDivision(w string) bool {
	dir := e.directory()
	if dir == nil || dir.places == nil {
		return false
	}
	for _, m := range dir.places.FindWords(w, dir.words) {
		if m.Start == 0 && m.End == len(w) && len(m.Places) > 0 {
			return true
		}
	}
	return false
}

// noReportReason is the reply to a question about a place the corpus has no
// report from: it says so and names the reports from the nearest division
// above it that has some ("没有收录丹江口的报告。湖北省内收录的是湖北省（2025—2026年）、
// 房县（2024年）的报告。"), else what the whole corpus covers.
func (e *Engine) noReportReason(name string) string {
	head := fmt.Sprintf("没有收录%s的报告。", name)
	dir := e.directory()
	if dir == nil {
		return head + e.coverage(nil)
	}
	ms := dir.mentions(name)
	if len(ms) != 1 || len(ms[0].Places) != 1 {
		return head + e.coverage(nil)
	}
	for _, a := range ms[0].Places[0].Ancestors() {
		if reps := e.reportsWithin(dir, a); len(reps) > 0 {
			return head + a.Name + "内" + e.coverage(reps)
		}
	}
	return head + e.coverage(nil)
}

// reportsWithin returns the indexed reports from place a and the places
// inside it, newest first.
func (e *Engine) reportsWithin(dir *issuerDirectory, a *place.Place) []*index.ReportInfo {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []*index.ReportInfo
	for i := range e.reports {
		if p := dir.placeOf[e.reports[i].Issuer]; p != nil && p.Within(a) {
			out = append(out, &e.reports[i])
		}
	}
	return out
}

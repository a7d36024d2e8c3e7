package place

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Mention is a place named in a text.
type Mention struct {
	// Start and End are the byte offsets of the name in the text; a name
	// qualified by its ancestors (深圳市罗湖区, 深圳罗湖) spans them all.
	Start, End int
	// Text is the name as written.
	Text string
	// Places are the divisions the name may mean, most likely first: one
	// usually, several when the name is ambiguous (龙华区 is in 深圳 and 海口)
	// and nothing in the text tells which.
	Places []*Place
}

// Place returns the mention's place when it is unambiguous, nil otherwise.
func (m Mention) Place() *Place {
	if len(m.Places) == 1 {
		return m.Places[0]
	}
	return nil
}

// token is one name found by the scan, before context is applied.
type token struct {
	start, end int
	text       string // the whole mention: 深圳罗湖
	name       string // the last name in it: 罗湖
	f          *form
	cands      []*Place // the places it may mean
	qualified  bool     // preceded by an ancestor's name
	direct     bool     // preceded by its parent's name (天津和平, 丹东振兴)
}

// qualifierGap is what may stand between a place and its ancestor: 深圳市的罗湖区.
var qualifierGap = []string{"", "的"}

// notPlaceAfter are words that, right after a short form, make it part of
// another name: 中山路, 中山大学, 长安街, 黄山风景区.
var notPlaceAfter = regexp.MustCompile(`^(?:路|街|大道|大街|大桥|大学|学院|久安|中学|小学|医院|公园|广场|装|陵|号|舰|村|镇|乡|风景区|景区)`)

// Find returns the places named in text, in order. Names are matched
// longest first (广西壮族自治区 before 广西, 河北区 before 河北); a name
// directly after one of its ancestors (深圳罗湖, 深圳市的罗湖区) is read as one
// mention of the lower place; a name that is also an ordinary word (和平,
// 合作, 城区) counts only so qualified; a short form followed by a street
// or institution word (中山路, 中山大学) is no place.
func (r *Resolver) Find(text string) []Mention {
	return r.FindWords(text, nil)
}

// WordEnds splits a text into words: it returns the byte offsets at which
// its words end, in order (the last is len(text)).
type WordEnds func(text string) []int

// FindWords is Find for a text split into words by words (a dictionary
// segmenter): a name must then also be a word or run of words of the text,
// so that 和政 is not found in 积极性和政治 nor 青山 in 绿水青山. A full name
// of three or more characters need only start a word (深圳市政府). A nil
// words is Find.
func (r *Resolver) FindWords(text string, words WordEnds) []Mention {
	var bounds map[int]bool
	if words != nil {
		bounds = map[int]bool{0: true}
		for _, e := range words(text) {
			bounds[e] = true
		}
	}
	toks := r.scan(text, bounds)
	toks = qualify(text, toks)
	var out []Mention
	for _, t := range toks {
		if !t.qualified && len(t.f.full) == 0 && notPlaceAfter.MatchString(text[t.end:]) {
			continue
		}
		if r.ordinary[t.name] && !(t.qualified && (t.direct || len(t.f.full) > 0)) {
			// 和平 is a place in 天津和平区 and 天津和平, not in 辽宁和平发展.
			continue
		}
		out = append(out, Mention{Start: t.start, End: t.end, Text: text[t.start:t.end], Places: t.cands})
	}
	narrow(out)
	return out
}

// scan finds names left to right, the longest at each position; with
// bounds (the word boundaries of text), only names that are whole words.
func (r *Resolver) scan(text string, bounds map[int]bool) []token {
	var toks []token
	for i := 0; i < len(text); {
		end, f := r.longestAt(text, i, bounds)
		if f == nil {
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
			continue
		}
		toks = append(toks, token{start: i, end: end, text: text[i:end], name: text[i:end], f: f, cands: f.preferred()})
		i = end
	}
	return toks
}

// longestAt returns the end of the longest name starting at byte i of text.
func (r *Resolver) longestAt(text string, i int, bounds map[int]bool) (int, *form) {
	if bounds != nil && !bounds[i] {
		return 0, nil
	}
	// Byte offsets of the following rune boundaries, up to maxRunes runes.
	var ends []int
	for j, n := i, 0; j < len(text) && n < r.maxRunes; n++ {
		_, size := utf8.DecodeRuneInString(text[j:])
		j += size
		ends = append(ends, j)
	}
	for k := len(ends) - 1; k >= minShortRunes-1; k-- {
		name := text[i:ends[k]]
		f := r.forms[name]
		if f == nil || suffixInWord(name, text[ends[k]:]) {
			continue
		}
		if bounds == nil || bounds[ends[k]] || (k+1 >= minFullRunes && len(f.full) > 0) {
			return ends[k], f
		}
	}
	return 0, nil
}

// minFullRunes is the length from which a full name need only start a
// word, not end one: 深圳市 in 深圳市政府.
const minFullRunes = 3

// suffixInWord reports whether a name's last character is the start of a
// word that goes on in rest: 河北区|域 is 河北 + 区域, 深圳市|场 is 深圳 + 市场.
func suffixInWord(name, rest string) bool {
	for _, w := range suffixWords {
		if strings.HasSuffix(name, w[:len(w)-len(w[len(w)-3:])]) && strings.HasPrefix(rest, w[len(w)-3:]) {
			return true
		}
	}
	return false
}

// suffixWords are words that begin with a division suffix (all characters
// of three bytes in UTF-8).
var suffixWords = []string{"区域", "市场", "县域"}

// qualify joins a name to the ancestor's name right before it: 深圳 + 罗湖
// → one token for 深圳市罗湖区, whose candidates are the holders inside the
// ancestor.
func qualify(text string, toks []token) []token {
	var out []token
	for _, t := range toks {
		if n := len(out); n > 0 {
			prev := &out[n-1]
			gap := text[prev.end:t.start]
			if slices.Contains(qualifierGap, gap) {
				var inside []*Place
				direct := false
				for _, p := range t.f.places {
					for _, a := range prev.cands {
						if p != a && p.Within(a) {
							inside = append(inside, p)
							direct = direct || p.Parent == a
							break
						}
					}
				}
				if len(inside) > 0 {
					prev.end, prev.text, prev.name, prev.f, prev.cands = t.end, text[prev.start:t.end], t.name, t.f, inside
					prev.qualified, prev.direct = true, direct
					continue
				}
			}
		}
		out = append(out, t)
	}
	return out
}

// narrow resolves an ambiguous mention by the others: 龙华区 in a text that
// also names 深圳 is 深圳's.
func narrow(ms []Mention) {
	for i := range ms {
		if len(ms[i].Places) < 2 {
			continue
		}
		var keep []*Place
		for _, p := range ms[i].Places {
			for j := range ms {
				if j != i && len(ms[j].Places) == 1 && p.Within(ms[j].Places[0]) && p != ms[j].Places[0] {
					keep = append(keep, p)
					break
				}
			}
		}
		if len(keep) > 0 {
			ms[i].Places = keep
		}
	}
}

// issuerBody matches the body after the place in an issuer's name.
var issuerBody = regexp.MustCompile(`(?:人民政府|政府)(?:办公厅|办公室)?$`)

// nationalIssuers are the names of the country's government.
var nationalIssuers = []string{"国务院", "中华人民共和国国务院", "中央人民政府", "中华人民共和国中央人民政府", "中华人民共和国"}

// Lookup returns the divisions a name means when the whole of it names a
// place: 深圳, 深圳市, 深圳罗湖, 广东省深圳市罗湖区, 罗湖区人民政府, and also
// names that are ordinary words (城区). Several places come back when the
// name is ambiguous (龙华区); nil when it names none (国务院 is China).
func (r *Resolver) Lookup(name string) []*Place {
	name = strings.TrimSpace(name)
	if slices.Contains(nationalIssuers, name) {
		return []*Place{China}
	}
	name = issuerBody.ReplaceAllString(name, "")
	toks := qualify(name, r.scan(name, nil))
	if len(toks) != 1 || toks[0].start != 0 || toks[0].end != len(name) {
		return nil
	}
	return toks[0].cands
}

// Issuer returns the place an issuer (深圳市罗湖区人民政府, 湖北省人民政府,
// 房县人民政府, 国务院) governs, nil when its name names no division or an
// ambiguous one.
func (r *Resolver) Issuer(name string) *Place {
	if ps := r.Lookup(name); len(ps) == 1 {
		return ps[0]
	}
	return nil
}

package answer

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/index"
)

// term is one content word of a question with its alternatives (synonyms)
// and its weight (inverse document frequency in the index).
type term struct {
	// word is the word as the question has it; alts are the forms the
	// reports use (word among them unless a synonym replaces it).
	word string
	alts []string
	w    float64
	// place is set for place names (the dictionary's ns tag): they locate
	// the topic rather than name it.
	place bool
	// verb is set for verbs (the dictionary's v tags).
	verb bool
	// suffix is set for a lone statistic suffix (率 of 纠错率 cut in two):
	// it says what kind of figure is asked, not what of, so it is never
	// the key term.
	suffix bool
	// head is set when an alternative is a statistic that sectors qualify
	// (生产总值 in 海洋生产总值): an occurrence counts only when qualified
	// as the question asks (whole-economy qualifiers, or the question's
	// own). ask is the question's content, for its own qualifier.
	head string
	ask  string
}

// sectorHeads are statistics whose bare name is also the tail of sector
// compounds (海洋生产总值, 农业生产总值, 单位生产总值能耗), with the
// qualifiers that keep the whole economy: 全省生产总值 is the GDP,
// 海洋生产总值 one sector's output.
var sectorHeads = map[string][]string{
	"生产总值": {"地区", "国内", "国民", "全省", "全市", "全区", "全县", "全州", "全盟", "全国", "本市", "本省", "我省", "我市", "全年", "当年", "经济"},
}

// sectorHeadOf returns the sector head among alts, "" for none.
func sectorHeadOf(alts []string) string {
	for _, a := range alts {
		if _, ok := sectorHeads[a]; ok {
			return a
		}
	}
	return ""
}

// maskSectors blanks, in text, the occurrences of t's head that a
// qualifier narrows to a sector: a Han character before the head that is
// neither a whole-economy qualifier, a function word, nor the question's
// own qualifier. The text keeps its length.
func maskSectors(t *term, text string) string {
	if t.head == "" || !hasSub(text, t.head) {
		return text
	}
	var b []byte
	for i := 0; ; {
		j := indexSub(text[i:], t.head)
		if j < 0 {
			break
		}
		at := i + j
		i = at + len(t.head)
		if !sectorQualified(text[:at], t) {
			continue
		}
		if b == nil {
			b = []byte(text)
		}
		for k := at; k < i; k++ {
			b[k] = ' '
		}
	}
	if b == nil {
		return text
	}
	return string(b)
}

// sectorQualified reports whether before (the text up to an occurrence
// of t.head) ends in a qualifier that makes it a sector's figure.
func sectorQualified(before string, t *term) bool {
	r, n := utf8.DecodeLastRuneInString(before)
	if n == 0 || !unicode.Is(unicode.Han, r) || strings.ContainsRune("的和与及或是为在使让将把其、", r) {
		return false
	}
	for _, q := range sectorHeads[t.head] {
		if strings.HasSuffix(before, q) {
			return false
		}
	}
	// The question's own qualifier: 海洋生产总值 asked is 海洋生产总值.
	r2, n2 := utf8.DecodeLastRuneInString(before[:len(before)-n])
	if n2 > 0 && unicode.Is(unicode.Han, r2) && strings.Contains(t.ask, before[len(before)-n-n2:]+t.head) {
		return false
	}
	return !strings.Contains(t.ask, string(r)+t.head)
}

// topicTerms returns the terms that are not place names, or all terms when
// every one is.
func topicTerms(ts []term) []term {
	var out []term
	for _, t := range ts {
		if !t.place {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ts
	}
	return out
}

// synonyms maps words users say to the words reports use. Keys are matched
// in the question's content; every alternative counts as the word.
var synonyms = map[string][]string{
	"GDP":    {"国内生产总值", "地区生产总值", "生产总值", "经济总量"},
	"经济总量":   {"经济总量", "国内生产总值", "地区生产总值", "生产总值"},
	"生产总值":   {"生产总值", "国内生产总值", "地区生产总值"},
	"国内生产总值": {"国内生产总值", "地区生产总值", "生产总值"},
	"地区生产总值": {"地区生产总值", "生产总值"},
	"经济增长":   {"经济增长", "国内生产总值增长", "地区生产总值增长", "生产总值增长"},
	"CPI":    {"居民消费价格"},
	"物价":     {"居民消费价格"},
	"财政收入":   {"一般公共预算收入", "地方一般公共预算收入", "财政收入"},
	"外贸":     {"进出口", "对外贸易"},
	"进出口总额":  {"进出口"},
	"失业率":    {"调查失业率", "失业率"},
	"就业":     {"就业"},
	"新增就业":   {"城镇新增就业", "新增就业"},
	"增速":     {"增速", "增长"},
	"增幅":     {"增幅", "增长"},
	"涨幅":     {"涨幅", "上涨", "增长"},
	"规上":     {"规上", "规模以上"},
	"规模以上":   {"规模以上", "规上"},
	"规上工业":   {"规上工业", "规模以上工业"},
	"社零":     {"社会消费品零售总额"},
	"消费品零售":  {"社会消费品零售总额", "消费品零售"},
	"财政赤字":   {"财政赤字", "赤字规模", "赤字率"},
	"细颗粒物":   {"细颗粒物", "PM2.5"},
	"案子":     {"案件"},
	"房子":     {"住房"},
	"看病":     {"就医", "医疗"},
	"上学":     {"入学", "教育"},
	"老百姓":    {"群众", "居民"},
	"复议":     {"行政复议"},
	"打官司":    {"诉讼", "应诉"},
	"告政府":    {"行政诉讼", "行政应诉"},
	"外储":     {"外汇储备"},
	"粮食":     {"粮食产量", "粮食总产量", "粮食"},
	"粮食产量":   {"粮食产量", "粮食总产量"},
	"粮食总产量":  {"粮食总产量", "粮食产量"},
	"城镇化":    {"城镇化率", "城镇化"},
	"空气质量":   {"优良天数", "空气质量"},
	// Colloquial verbs and nouns for the reports' formal ones.
	"整治":  {"整治", "治理", "整顿"},
	"乱收费": {"乱收费", "收费"},
	"发放":  {"发放", "发"},
	"游客":  {"游客", "旅游人数", "接待游客"},
	"热线":  {"热线", "服务热线"},
	"电话":  {"电话", "热线"},
}

// synonymKeys are the keys of synonyms, longest first.
var synonymKeys = func() []string {
	keys := make([]string, 0, len(synonyms))
	for k := range synonyms {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}()

// docStats are the index statistics the terms' weights come from: an
// *index.Index, or an Engine's dfCache of it.
type docStats interface {
	DocFreq(term string) int
	NumParagraphs() int
}

// questionTerms returns the weighted content terms of q's content, using the
// segmenter's accurate cut (not the index's overlapping search cut, so that a
// word is not counted twice through its sub-words).
func questionTerms(ix docStats, content string) []term {
	if strings.TrimSpace(content) == "" {
		return nil
	}
	content0 := content
	var out []term
	seen := map[string]bool{}
	addTerm := func(word string, alts []string) bool {
		key := strings.Join(alts, "|")
		if seen[key] {
			return false
		}
		seen[key] = true
		out = append(out, term{word: word, alts: alts})
		return true
	}
	// Synonym phrases are found before segmenting: the segmenter may cut
	// 经济增长 into 经济 and 增长, and then no phrase would match.
	for _, k := range synonymKeys {
		if utf8.RuneCountInString(k) < 3 || !strings.Contains(content, k) {
			continue
		}
		addTerm(k, synonyms[k])
		content = strings.ReplaceAll(content, k, " ")
	}
	content = takeASCIICompounds(content, addTerm)
	for _, w := range index.Words(content) {
		w = strings.TrimSpace(w)
		if alts, ok := synonyms[w]; ok {
			addTerm(w, alts)
			continue
		}
		if alts, ok := synonyms[strings.ToUpper(w)]; ok {
			addTerm(w, alts)
			continue
		}
		if w == "" || !meaningful(w) {
			continue
		}
		if addTerm(w, withAbbreviation(w)) {
			out[len(out)-1].suffix = utf8.RuneCountInString(w) == 1 && strings.Contains(statSuffixes, w)
			_, pos, ok := index.Lookup(w)
			out[len(out)-1].place = ok && pos == "ns"
			out[len(out)-1].verb = ok && (pos == "v" || pos == "vd") && utf8.RuneCountInString(w) >= 2
		}
	}
	for i := range out {
		if h := sectorHeadOf(out[i].alts); h != "" {
			out[i].head, out[i].ask = h, content0
		}
	}
	n := ix.NumParagraphs()
	for i := range out {
		df := 0
		for _, a := range out[i].alts {
			for _, t := range index.Terms(a) {
				if d := ix.DocFreq(t); d > df {
					df = d
				}
			}
		}
		if df == 0 {
			// No paragraph holds it: perhaps a homophone typed for the
			// word meant (复义 for 复议).
			if v := typoFix(ix, out[i].alts[0]); v != "" {
				out[i].alts = append(out[i].alts, v)
				df = ix.DocFreq(v)
			}
		}
		out[i].w = idf(n, df)
		// Long words carry more topic than their frequency shows (a rare
		// compound the tokenizer splits has the document frequency of its
		// commonest part).
		if r := utf8.RuneCountInString(out[i].alts[0]); r >= 4 {
			out[i].w *= 1.2
		}
		if out[i].verb {
			// Verbs (发放, 开展) say what was done; the nouns say to what.
			out[i].w *= 0.5
		}
	}
	return out
}

// withAbbreviation returns the forms of w: w, and for a word of two
// two-character words its abbreviation, which reports use as often
// (公共交通 → 公交, 环境保护 → 环保, 医疗保险 → 医保).
func withAbbreviation(w string) []string {
	r := []rune(w)
	if len(r) != 4 || !isHanWord(w) {
		return []string{w}
	}
	for _, half := range []string{string(r[:2]), string(r[2:])} {
		if _, _, ok := index.Lookup(half); !ok {
			// Not two words: 包容审慎 is, 大炼钢铁 is not cut so.
			return []string{w}
		}
	}
	return []string{w, string([]rune{r[0], r[2]})}
}

// isHanWord reports whether w is all Han characters.
func isHanWord(w string) bool {
	for _, r := range w {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return w != ""
}

// idf is BM25's inverse document frequency.
func idf(n, df int) float64 {
	if n <= 0 {
		return 1
	}
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// meaningful reports whether a question word can carry topic: not a stop
// word, not punctuation, and not a lone character other than a few nouns.
func meaningful(w string) bool {
	if stopWord(w) || isFramePOS(w) {
		return false
	}
	r := []rune(w)
	hasLetter := false
	for _, c := range r {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			hasLetter = true
			break
		}
	}
	if !hasLetter {
		return false
	}
	if len(r) == 1 {
		// Single characters are mostly function words or verbs ("办", "发")
		// whose presence proves nothing.
		return strings.ContainsRune("税粮煤电水气油钢铁林草药率", r[0])
	}
	return true
}

// questionStop are words of how questions are asked that say nothing of the topic.
var questionStop = map[string]bool{
	"多少": true, "几": true, "什么": true, "哪些": true, "怎么样": true, "怎样": true, "如何": true, "是否": true,
	"达到": true, "一共": true, "总共": true, "共": true, "办了": true, "有": true, "是": true, "了": true, "的": true,
	"情况": true, "具体": true, "主要": true, "哪个": true, "多": true, "数": true, "个": true, "报告": true,
	"这份": true, "这个": true, "本": true, "去年": true, "今年": true, "明年": true, "全年": true, "年末": true,
	"提高": false, "一下": true, "请问": true, "经过": true, "要": true, "得": true, "落实": false,
}

func stopWord(w string) bool {
	if v, ok := questionStop[w]; ok {
		return v
	}
	return index.IsStopWord(w)
}

// present returns how much of term t text shows: 1 when a form of it occurs
// verbatim; for a long word that does not, the share of its two-character
// pieces that occur (so 网上办理率 partly matches 网上办、一次办率).
//
// The text may be given in pieces (a sentence and its section, a clause
// and the figure's subject): the value is that of the pieces joined by
// spaces, without the joining. A form without a space cannot match
// across a space, and maskSectors reads a space before a piece as it reads
// its start.
func present(t term, text ...string) float64 {
	return presentSig(t, text, nil)
}

// presentSig is present with, when sigs is not nil, sigs[i] a rune
// signature of text[i] (or of more than it), which rules out forms and
// pieces without searching.
func presentSig(t term, text []string, sigs []uint64) float64 {
	return presentWide(t, text, sigs, nil)
}

// presentWide is presentSig with, when wide is not nil, a 256-bit rune
// signature of text[0] (a paragraph's).
func presentWide(t term, text []string, sigs []uint64, wide *wideSig) float64 {
	if len(text) > 1 && anySpace(t.alts) {
		return present(t, strings.Join(text, " "))
	}
	if t.head != "" {
		var buf [4]string
		masked := buf[:0]
		for _, s := range text {
			masked = append(masked, maskSectors(&t, s))
		}
		text = masked
		if anySpace(t.alts) {
			// The blanks put in are not in the signatures.
			sigs, wide = nil, nil
		}
	}
	// Any form shown in full gives 1: all are looked for before the
	// pieces of any (地区生产总值's pieces need no search when 生产总值
	// is there).
	for _, a := range t.alts {
		var aSig uint64
		if sigs != nil {
			aSig = needleSig(a)
		}
		if hasSubSkip(text, sigs, a, aSig, wide != nil && !wide.mayHold(a)) {
			return 1
		}
	}
	best := 0.0
	for _, a := range t.alts {
		n := utf8.RuneCountInString(a)
		if n < 3 {
			continue
		}
		hit := piecesIn(a, text, sigs, wide, false)
		if f := 0.7 * float64(hit) / float64(n-1); f > best {
			best = f
		}
	}
	return best
}

// piecesIn counts the two-character pieces of a (byte ranges of a: no
// allocation) that text, given in pieces with rune signatures as
// presentWide takes it, holds; with first it stops at the first.
func piecesIn(a string, text []string, sigs []uint64, wide *wideSig, first bool) int {
	hit := 0
	i := 0
	r1, w1 := utf8.DecodeRuneInString(a)
	for j := w1; j < len(a); {
		r2, w := utf8.DecodeRuneInString(a[j:])
		var pSig uint64
		if sigs != nil && r1 != utf8.RuneError && r2 != utf8.RuneError {
			pSig = runeBit(r1) | runeBit(r2)
		}
		notFirst := wide != nil && r1 != utf8.RuneError && r2 != utf8.RuneError && !(wide.has(r1) && wide.has(r2))
		if hasSubSkip(text, sigs, a[i:j+w], pSig, notFirst) {
			hit++
			if first {
				return hit
			}
		}
		i, j, r1 = j, j+w, r2
	}
	return hit
}

// presentNear returns present(t, sentence) and present(t, sentence,
// section) in one pass over the sentence: the second adds to what the
// first found what the section shows, where calling present twice read
// the sentence again for every term the sentence does not show in full.
//
// sentenceSig and sectionSig are rune signatures of sentence and section
// (^uint64(0) for none), as presentSig takes them.
func presentNear(t term, sentence, section string, sentenceSig, sectionSig uint64) (pS, pN float64) {
	if anySpace(t.alts) {
		pS = present(t, sentence)
		if pS >= 1 {
			return pS, pS
		}
		return pS, present(t, sentence, section)
	}
	if t.head != "" {
		sentence, section = maskSectors(&t, sentence), maskSectors(&t, section)
	}
	// (The blanks maskSectors puts in are not in the signatures: no form
	// here holds a blank.)
	// Forms first, then pieces, as present.
	inSection := false // a form of t is in the section: pN is 1
	for _, a := range t.alts {
		aSig := needleSig(a)
		if aSig&^sentenceSig == 0 && hasSub(sentence, a) {
			return 1, 1
		}
		if !inSection && aSig&^sectionSig == 0 && hasSub(section, a) {
			inSection = true
		}
	}
	for _, a := range t.alts {
		n := utf8.RuneCountInString(a)
		if n < 3 {
			continue
		}
		hitS, hitN := 0, 0
		i := 0
		r1, w1 := utf8.DecodeRuneInString(a)
		for j := w1; j < len(a); {
			r2, w := utf8.DecodeRuneInString(a[j:])
			var pSig uint64
			if r1 != utf8.RuneError && r2 != utf8.RuneError {
				pSig = runeBit(r1) | runeBit(r2)
			}
			switch piece := a[i : j+w]; {
			case pSig&^sentenceSig == 0 && hasSub(sentence, piece):
				hitS++
				hitN++
			case !inSection && pSig&^sectionSig == 0 && hasSub(section, piece):
				hitN++
			}
			i, j, r1 = j, j+w, r2
		}
		if f := 0.7 * float64(hitS) / float64(n-1); f > pS {
			pS = f
		}
		if f := 0.7 * float64(hitN) / float64(n-1); f > pN {
			pN = f
		}
	}
	if inSection {
		pN = 1
	}
	return pS, pN
}

// anySpace reports whether one of alts holds a space.
func anySpace(alts []string) bool {
	for _, a := range alts {
		if strings.IndexByte(a, ' ') >= 0 {
			return true
		}
	}
	return false
}

// coverage is the weighted share of terms that text shows.
func coverage(ts []term, text string) float64 {
	return coverageU(ts, unquote(text))
}

// coverageU is coverage of a text already unquoted, which may be given in
// pieces as to present.
func coverageU(ts []term, text ...string) float64 {
	cov, _ := coverageKey(ts, -1, text...)
	return cov
}

// coverageSig is coverageU with rune signatures of the pieces of text,
// as presentSig takes them.
func coverageSig(ts []term, text []string, sigs []uint64) float64 {
	var sum, got float64
	for _, t := range ts {
		sum += t.w
		got += t.w * presentSig(t, text, sigs)
	}
	if sum == 0 {
		return 0
	}
	return got / sum
}

// topicCoverages returns coverageU(ts, text...) and, when topicOnly,
// coverageU(topicTerms(ts), text...) (else the former again), in one pass;
// sigs are rune signatures of the pieces of text, as presentSig takes
// them.
func topicCoverages(ts []term, topicOnly bool, text []string, sigs []uint64) (cov, covTopic float64) {
	var sum, got, sumT, gotT float64
	for _, t := range ts {
		p := presentSig(t, text, sigs)
		sum += t.w
		got += t.w * p
		if !t.place {
			sumT += t.w
			gotT += t.w * p
		}
	}
	if sum != 0 {
		cov = got / sum
	}
	if !topicOnly {
		return cov, cov
	}
	if sumT != 0 {
		covTopic = gotT / sumT
	}
	return cov, covTopic
}

// coverageKey is coverageU that also returns present's value for ts[key]
// (0 when key is out of range), found on the way.
func coverageKey(ts []term, key int, text ...string) (cov, keyPresent float64) {
	var sum, got float64
	for i, t := range ts {
		p := present(t, text...)
		if i == key {
			keyPresent = p
		}
		sum += t.w
		got += t.w * p
	}
	if sum == 0 {
		return 0, keyPresent
	}
	return got / sum, keyPresent
}

// statSuffixes are the characters that end a statistic's name (纠错率,
// 成交额, 出栏量) and that the segmenter leaves alone when it does not
// know the name.
const statSuffixes = "率额量"

// keyTerm returns the index of the heaviest term that is not a lone
// statistic suffix (the heaviest term when all are), or -1.
func keyTerm(ts []term) int {
	best := -1
	for i, t := range ts {
		switch {
		case best < 0:
			best = i
		case t.suffix != ts[best].suffix:
			if !t.suffix {
				best = i
			}
		case t.w > ts[best].w:
			best = i
		}
	}
	return best
}

// unquote drops the quote marks “”"‘’「」《》 from s: reports quote policy
// names (“八五”普法, “放管服”改革) that users type without quotes. It runs
// on every paragraph of every hit; a strings.Replacer of the marks cost a
// tenth of an answer, where this finds them as hasQuoteMark does and
// copies what lies between.
func unquote(s string) string {
	if !hasQuoteMark(s) {
		return s
	}
	return unquoteSpan(s, 0, len(s), quoteMarkOffsets(s))
}

// quoteMarkOffsets returns the byte offsets in s of unquote's marks, in
// order (nil when there are none).
func quoteMarkOffsets(s string) []int32 {
	var out []int32
	base := 0
	for {
		q := strings.IndexByte(s[base:], '"')
		end := len(s)
		if q >= 0 {
			end = base + q
		}
		// The three-byte marks of s[base:end], found from their 0x80 as
		// hasQuoteMark finds them.
		seg := s[base:end]
		for i := 1; i+1 < len(seg); {
			j := strings.IndexByte(seg[i:len(seg)-1], 0x80)
			if j < 0 {
				break
			}
			j += i
			if isQuoteMark3(seg[j-1], seg[j+1]) {
				out = append(out, int32(base+j-1))
				seg, base = seg[j+2:], base+j+2
				i = 1
				continue
			}
			i = j + 1
		}
		if q < 0 {
			return out
		}
		out = append(out, int32(end))
		base = end + 1
	}
}

// unquoteSpan is unquote(s[start:end]) for marks the quoteMarkOffsets of
// s: it copies what lies between the marks without looking for them.
// (A mark is never cut by a span that starts and ends on characters.)
func unquoteSpan(s string, start, end int, marks []int32) string {
	i := sort.Search(len(marks), func(k int) bool { return int(marks[k]) >= start })
	if i == len(marks) || int(marks[i]) >= end {
		return s[start:end]
	}
	var b strings.Builder
	b.Grow(end - start)
	at := start
	for ; i < len(marks) && int(marks[i]) < end; i++ {
		m := int(marks[i])
		b.WriteString(s[at:m])
		at = m + 3
		if s[m] == '"' {
			at = m + 1
		}
	}
	b.WriteString(s[at:end])
	return b.String()
}

// hasQuoteMark reports whether s holds one of unquote's marks. It is
// strings.ContainsAny(s, "“”\"‘’「」《》") without that function's cost
// on non-ASCII sets (a search of the set per rune of s): unquote runs on
// every paragraph and sentence of every hit.
//
// It looks at bytes, not runes: the marks other than '"' are the UTF-8
// sequences e2 80 {98 99 9c 9d} and e3 80 {8a 8b 8c 8d}, found from their
// 0x80 (a byte of about one Chinese character in sixty) where decoding
// every rune cost a tenth of an answer. e2 and e3 are never continuation
// bytes, so a sequence found so is the mark a rune decoder would read.
func hasQuoteMark(s string) bool {
	if strings.IndexByte(s, '"') >= 0 {
		return true
	}
	for i := 1; i+1 < len(s); {
		j := strings.IndexByte(s[i:len(s)-1], 0x80)
		if j < 0 {
			return false
		}
		j += i
		if isQuoteMark3(s[j-1], s[j+1]) {
			return true
		}
		i = j + 1
	}
	return false
}

// isQuoteMark3 reports whether lead, 0x80, last is the UTF-8 sequence of
// one of the marks “”‘’ (e2 80 xx) or 「」《》 (e3 80 xx).
func isQuoteMark3(lead, last byte) bool {
	switch lead {
	case 0xe2:
		return last == 0x98 || last == 0x99 || last == 0x9c || last == 0x9d
	case 0xe3:
		return last == 0x8a || last == 0x8b || last == 0x8c || last == 0x8d
	}
	return false
}

// aggregate marks figures that sum or average over several years.
var aggregate = regexp.MustCompile(`年均(增|提|下|降|新增|减|超过|达|实现|完成|保持|\d)|平均每年|每年平均|累计|五年|十年|历年|总计|合计`)

// precision is the share of textU's characters (textU unquoted) that the
// question's terms cover: a figure whose context is all question words
// ("突出单位") fits better than one whose context only mentions them among
// much else. sig is a rune signature of textU (or of more than it).
func precision(ts []term, textU string, sig uint64) float64 {
	if textU == "" {
		return 0
	}
	// It runs for every figure scored: a subject fits the buffer.
	var buf [256]bool
	var covered []bool
	if len(textU) <= len(buf) {
		covered = buf[:len(textU)]
	} else {
		covered = make([]bool, len(textU))
	}
	for _, t := range ts {
		for _, a := range t.alts {
			if needleSig(a)&^sig != 0 {
				continue
			}
			for i := 0; a != ""; {
				j := indexSub(textU[i:], a)
				if j < 0 {
					break
				}
				for k := i + j; k < i+j+len(a); k++ {
					covered[k] = true
				}
				i += j + len(a)
			}
		}
	}
	n, c := 0, 0
	for i, r := range textU {
		if !wordRune(r) {
			continue
		}
		n++
		if covered[i] {
			c++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(c) / float64(n)
}

// wordRune reports whether r is Han or a letter, deciding the common
// Chinese characters (U+4E00–U+9FFF, all Han) without the tables' search.
func wordRune(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return unicode.Is(unicode.Han, r) || unicode.IsLetter(r)
}

package answer

import (
	_ "embed"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/zhtext"
)

// framesData is the frame lexicon (frames.txt): the words that frame a
// question without saying what it is about, and the words for the place
// the user is in.
//
//go:embed frames.txt
var framesData string

// frameLexicon is frames.txt read: the frame phrases by category, and the
// deixis forms.
type frameLexicon struct {
	// category maps a frame phrase to its category.
	category map[string]string
	// longest is the most runes a phrase has.
	longest int
	// deixis finds words for the user's place; levels maps a level word
	// (县, 省) to its level (county, province).
	deixis *regexp.Regexp
	levels map[string]string
	// openers are the courtesy phrases, longest first: a message's opening
	// ones are dropped before places are looked for, so that 问下海南 is not
	// read as 下海 南.
	openers []string
}

// frames is the lexicon, read once.
var frames = readFrames(framesData)

// readFrames parses the lexicon's lines (see frames.txt for the format).
func readFrames(data string) *frameLexicon {
	lx := &frameLexicon{category: map[string]string{}, levels: map[string]string{}}
	var prefixes, suffixes, levelWords, anyWords []string
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cat, list, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		words := strings.Fields(list)
		switch cat {
		case "deixis.prefix":
			prefixes = words
		case "deixis.suffix":
			suffixes = words
		case "deixis.level":
			for _, w := range words {
				word, level, _ := strings.Cut(w, "=")
				lx.levels[word] = level
				levelWords = append(levelWords, word)
			}
		case "deixis.any":
			anyWords = words
		default:
			for _, w := range words {
				lx.category[w] = cat
				lx.longest = max(lx.longest, utf8.RuneCountInString(w))
			}
			if cat == "courtesy" {
				lx.openers = append(lx.openers, words...)
			}
		}
	}
	sort.Slice(lx.openers, func(i, j int) bool { return len(lx.openers[i]) > len(lx.openers[j]) })
	alt := func(ws []string) string {
		ws = append([]string(nil), ws...)
		sort.Slice(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
		for i, w := range ws {
			ws[i] = regexp.QuoteMeta(w)
		}
		return strings.Join(ws, "|")
	}
	// 咱们县, 本省 (prefix + level); 县里, 省里 (level + suffix); 本地.
	lx.deixis = regexp.MustCompile(`(?:` + alt(prefixes) + `)(` + alt(levelWords) + `)|(` + alt(levelWords) + `)(?:` + alt(suffixes) + `)|(` + alt(anyWords) + `)`)
	return lx
}

// findDeixis returns the level of the first word for the user's place in s
// ("county", "city", "province", "national", or "any") and s with that
// word blanked; "" and s when there is none. A match must start a word of
// the segmenter's cut: 城市里 and 小区里 are not 市里 and 区里.
func (lx *frameLexicon) findDeixis(s string) (level, rest string) {
	ms := lx.deixis.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return "", s
	}
	starts := map[int]bool{}
	at := 0
	for _, w := range index.Words(s) {
		starts[at] = true
		at += len(w)
	}
	for _, m := range ms {
		if !starts[m[0]] {
			continue
		}
		switch {
		case m[2] >= 0:
			level = lx.levels[s[m[2]:m[3]]]
		case m[4] >= 0:
			if lx.levels[s[m[4]:m[5]]] == levelNational {
				// 国家里, 国上 are not said; 国家 alone is handled as a subject.
				continue
			}
			level = lx.levels[s[m[4]:m[5]]]
		default:
			level = levelAny
		}
		return level, s[:m[0]] + " " + s[m[1]:]
	}
	return "", s
}

// dropOpening removes the courtesy phrases a message opens with (麻烦问下,
// 你好，请问), with the punctuation after them.
func (lx *frameLexicon) dropOpening(s string) string {
	for {
		t := strings.TrimLeft(s, " "+zhtext.Commas+zhtext.EnumerationComma+zhtext.Colons+zhtext.ExclamationMarks+zhtext.FullStop)
		found := false
		for _, o := range lx.openers {
			if strings.HasPrefix(t, o) {
				t, found = t[len(o):], true
				break
			}
		}
		if !found {
			return t
		}
		s = t
	}
}

// framePOS are the parts of speech (the dictionary's tags) of words that
// frame rather than name: pronouns (咱们, 哪个), locality words (以后,
// 之前), adverbs, prepositions, conjunctions, particles, modal particles,
// interjections and onomatopoeia.
var framePOS = map[string]bool{"r": true, "f": true, "d": true, "p": true, "c": true, "u": true, "uj": true, "ul": true, "uz": true, "ud": true, "ug": true, "uv": true, "y": true, "e": true, "o": true}

// isFramePOS reports whether the dictionary tags w as a frame word.
func isFramePOS(w string) bool {
	_, pos, ok := index.Lookup(w)
	return ok && framePOS[pos]
}

// dropFrames removes from s the frame phrases of the lexicon, matched on
// the words of s (the segmenter's accurate cut) so that no phrase is cut
// out of a longer word. Words the segmenter did not know and that end in
// an aspect particle (建了, 评上了) lose the particle. The words left are
// joined by spaces.
func (lx *frameLexicon) dropFrames(s string) string {
	if strings.TrimSpace(s) == "" {
		return s
	}
	words := index.Words(s)
	var b strings.Builder
	for i := 0; i < len(words); {
		if n := lx.frameAt(words, i); n > 0 && !lx.counted(words, i, n) {
			b.WriteByte(' ')
			i += n
			continue
		}
		w := words[i]
		if _, _, known := index.Lookup(w); !known && utf8.RuneCountInString(w) > 1 {
			w = strings.TrimRight(w, "了过着")
		}
		b.WriteString(w)
		i++
	}
	return b.String()
}

// counted reports whether the aspect word at words[i:i+n] is counted
// (哪几个方面, 四个方面): then it is what the question asks about, the
// parts of a plan, not a frame around a topic (养老服务方面).
func (lx *frameLexicon) counted(words []string, i, n int) bool {
	if lx.category[strings.Join(words[i:i+n], "")] != "aspect" || i == 0 {
		return false
	}
	prev := words[i-1]
	if strings.HasSuffix(prev, "个") || strings.HasSuffix(prev, "几") || strings.HasSuffix(prev, "哪") {
		return true
	}
	_, pos, ok := index.Lookup(prev)
	return ok && (pos == "m" || pos == "q" || pos == "mq")
}

// frameAt returns how many words from words[i] make one frame phrase (the
// longest), 0 for none.
func (lx *frameLexicon) frameAt(words []string, i int) int {
	best := 0
	joined := ""
	for j := i; j < len(words) && utf8.RuneCountInString(joined) < lx.longest; j++ {
		joined += words[j]
		if _, ok := lx.category[joined]; ok {
			best = j - i + 1
		}
	}
	return best
}

package zhtext

import (
	"strings"
	"unicode/utf8"
)

// SplitSentences returns the byte ranges [start, end) of the sentences of
// text. A sentence ends after a rune of SentenceEnders or a line break,
// together with the SentenceClosers right after it ("……。”"); ranges
// that hold only white space are left out, and text after the last end is
// a sentence of its own.
func SplitSentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for i, r := range text {
		if r != '\n' && !IsSentenceEnder(r) {
			continue
		}
		end := i + utf8.RuneLen(r)
		for end < len(text) {
			c, n := utf8.DecodeRuneInString(text[end:])
			if !strings.ContainsRune(SentenceClosers, c) {
				break
			}
			end += n
		}
		if end <= start {
			continue
		}
		if strings.TrimSpace(text[start:end]) != "" {
			out = append(out, [2]int{start, end})
		}
		start = end
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// ClauseStart returns the offset in s just after its last rune that is in
// seps (a class such as ClauseSeparators), 0 when s has none: where the
// clause that runs to the end of s begins.
func ClauseStart(s, seps string) int {
	i := strings.LastIndexAny(s, seps)
	if i < 0 {
		return 0
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return i + n
}

// ClauseEnd returns the offset in s of its first rune that is in seps,
// len(s) when s has none: where the clause that starts s ends.
func ClauseEnd(s, seps string) int {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return i
	}
	return len(s)
}

// ClauseBounds returns the offsets that cut s into clauses at the runes of
// seps: 0, the offset just after each separator, and len(s). A separator
// stays with the clause it ends.
func ClauseBounds(s, seps string) []int {
	bounds := []int{0}
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			bounds = append(bounds, i+utf8.RuneLen(r))
		}
	}
	return append(bounds, len(s))
}

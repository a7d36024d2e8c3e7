package answer

import (
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"github.com/govbot/govbot/index"
)

// Typos of the way people type Chinese: a pinyin input method offers the
// characters of a sound, and a hurried user takes the wrong one (复义 for
// 复议, 普发 for 普法). A question word that no paragraph holds is tried
// with each of its characters replaced by the characters that sound the
// same (tones aside); a variant that the reports do hold becomes one of
// the word's forms. The word itself stays a form too, so a word the
// reports really lack still counts as missing when no variant is found.

// minTypoDocFreq is how many paragraphs must hold a variant for it to be
// taken as the word meant.
const minTypoDocFreq = 2

// maxTypoWordFreq is the most a word may be used (its frequency in the
// segmenter's dictionary) to be taken for a typo: 银发 and 票房 are
// written on purpose, 复义 (3) and 普发 (not a word) are not.
const maxTypoWordFreq = 10

// minMeantWordFreq is the least a variant must be used to be the word
// meant: 复议 (84), 普法 (387).
const minMeantWordFreq = 50

// homophones maps a sound (toneless pinyin) to the common characters
// that have it; made once, when a typo is first looked for.
var homophones = sync.OnceValue(func() map[string][]rune {
	m := map[string][]rune{}
	args := pinyin.NewArgs()
	args.Heteronym = true
	for code := range pinyin.PinyinDict {
		r := rune(code)
		if r < 0x4E00 || r > 0x9FFF {
			continue
		}
		seen := map[string]bool{}
		for _, py := range pinyin.SinglePinyin(r, args) {
			if !seen[py] {
				seen[py] = true
				m[py] = append(m[py], r)
			}
		}
	}
	return m
})

// soundsOf returns the toneless readings of r.
func soundsOf(r rune) []string {
	args := pinyin.NewArgs()
	args.Heteronym = true
	return pinyin.SinglePinyin(r, args)
}

// typoFix returns the variant of word, one character replaced by a
// homophone, that most paragraphs hold (at least minTypoDocFreq), or "".
// word must be Han of two to four characters that no paragraph holds.
func typoFix(ix docStats, word string) string {
	n := utf8.RuneCountInString(word)
	if n < 2 || n > 4 || !isHanWord(word) {
		return ""
	}
	if f, _, ok := index.Segmenter().Find(word); ok && f > maxTypoWordFreq {
		return ""
	}
	rs := []rune(word)
	best, bestDF := "", minTypoDocFreq-1
	for i, r := range rs {
		tried := map[rune]bool{r: true}
		for _, py := range soundsOf(r) {
			for _, h := range homophones()[py] {
				if tried[h] {
					continue
				}
				tried[h] = true
				v := string(rs[:i]) + string(h) + string(rs[i+1:])
				if f, _, ok := index.Segmenter().Find(v); !ok || f < minMeantWordFreq {
					continue
				}
				if ts := index.Terms(v); len(ts) != 1 || ts[0] != v {
					// Only a word the index holds whole.
					continue
				}
				if df := ix.DocFreq(v); df > bestDF {
					best, bestDF = v, df
				}
			}
		}
	}
	return best
}

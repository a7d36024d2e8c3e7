package answer

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

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

//go:generate go run -tags generate ./internal/soundgen

// soundsData is sounds.tsv: each toneless pinyin reading and the
// characters that have it, generated from go-pinyin (internal/soundgen) so
// that the binary carries 84 KB rather than the library's dictionary.
//
//go:embed sounds.tsv
var soundsData string

// soundTables are sounds.tsv read: the characters of each sound, and the
// sounds of each character.
type soundTables struct {
	chars  map[string][]rune
	sounds map[rune][]string
}

// sounds returns the tables, read once, when a typo is first looked for.
var sounds = sync.OnceValue(func() *soundTables {
	t := &soundTables{chars: map[string][]rune{}, sounds: map[rune][]string{}}
	for _, line := range strings.Split(soundsData, "\n") {
		py, chars, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		for _, r := range chars {
			t.chars[py] = append(t.chars[py], r)
			t.sounds[r] = append(t.sounds[r], py)
		}
	}
	return t
})

// typoFix returns the variant of word, one character replaced by a
// homophone, that most paragraphs hold (at least minTypoDocFreq), or "".
// word must be Han of two to four characters that no paragraph holds.
func typoFix(ix docStats, word string) string {
	n := utf8.RuneCountInString(word)
	if n < 2 || n > 4 || !isHanWord(word) {
		return ""
	}
	if f, _, ok := index.Lookup(word); ok && f > maxTypoWordFreq {
		return ""
	}
	rs := []rune(word)
	best, bestDF := "", minTypoDocFreq-1
	t := sounds()
	for i, r := range rs {
		tried := map[rune]bool{r: true}
		for _, py := range t.sounds[r] {
			for _, h := range t.chars[py] {
				if tried[h] {
					continue
				}
				tried[h] = true
				v := string(rs[:i]) + string(h) + string(rs[i+1:])
				if f, _, ok := index.Lookup(v); !ok || f < minMeantWordFreq {
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

package corpus

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run -tags generate ./internal/foldgen

// Traditional characters are folded to simplified ones so that a question
// in either script finds a report in the other: the 1950s reports are
// partly in traditional characters (鋼産量, 萬噸), questions mostly in
// simplified ones. The mapping is OpenCC's traditional-to-simplified
// conversion (the longbridgeapp/opencc port), taken one character at a
// time and written to ts_fold.tsv by `go generate` (internal/foldgen), so
// that the binary carries the 3,000 pairs it uses rather than the port's
// 1.2 MB of dictionaries. Folding never looks at the characters around, so
// a folded text has the same runes at the same places, and a rune is only
// replaced by one of the same UTF-8 length, so byte offsets into a folded
// text are offsets into the original (excerpts, figures and sentences are
// cut from the original with them).

// The block of characters folding covers: CJK Unified Ideographs and
// Extension A, where every traditional character of the reports lies.
const (
	foldLo = 0x3400
	foldHi = 0x9FFF
)

//go:embed ts_fold.tsv
var tsFoldData string

// foldTable maps each character of the block to its simplified form, 0
// when it has none; read from ts_fold.tsv once.
var foldTable = sync.OnceValue(func() *[foldHi - foldLo + 1]rune {
	var t [foldHi - foldLo + 1]rune
	for _, line := range strings.Split(tsFoldData, "\n") {
		from, to, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		f, _ := utf8.DecodeRuneInString(from)
		g, _ := utf8.DecodeRuneInString(to)
		if f >= foldLo && f <= foldHi && utf8.RuneLen(f) == utf8.RuneLen(g) {
			t[f-foldLo] = g
		}
	}
	return &t
})

// FoldHanRune returns the simplified form of the Chinese character r
// (鋼 → 钢, 萬 → 万, 産 → 产), r itself when it has none or is not a
// Chinese character. The result has r's UTF-8 length.
func FoldHanRune(r rune) rune {
	if r < foldLo || r > foldHi {
		return r
	}
	if f := foldTable()[r-foldLo]; f != 0 {
		return f
	}
	return r
}

// FoldHan returns s with every traditional Chinese character folded to its
// simplified form (FoldHanRune): "鋼二百十七萬噸" → "钢二百十七万吨". The
// result has the same length as s and the same runes at the same byte
// offsets; s itself is returned, without a copy, when nothing folds.
func FoldHan(s string) string {
	for i, r := range s {
		if r < foldLo {
			continue
		}
		if f := FoldHanRune(r); f != r {
			b := []byte(s)
			for j, r := range s[i:] {
				if f := FoldHanRune(r); f != r {
					utf8.EncodeRune(b[i+j:], f)
				}
			}
			return string(b)
		}
	}
	return s
}

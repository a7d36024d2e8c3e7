package zhtext

import "strings"

// The full-width forms of the printable ASCII characters '!'..'~' are the
// block U+FF01..U+FF5E, in ASCII order; fullWidthOffset is the distance.
const (
	fullWidthFirst   = '！' // U+FF01
	fullWidthLast    = '～' // U+FF5E
	fullWidthOffset  = fullWidthFirst - '!'
	ideographicSpace = '\u3000'
)

// FoldWidth returns the half-width form of a full-width character: the
// full-width ASCII forms U+FF01–U+FF5E ("１", "Ａ", "：", "（") become the
// ASCII characters '!'–'~', and the ideographic space U+3000 a space.
// Every other rune, CJK punctuation such as "。" and "、" included, is
// returned as it is. The result is never longer in UTF-8 than r.
//
// It agrees with golang.org/x/text/width's Narrow mapping on these runes
// (a test checks every one), but unlike width.Narrow it leaves "。「」、"
// and kana alone, and it costs a comparison, not a table lookup, in the
// tokenizer's loop. It is the index's folding, so its terms depend on it:
// width.Fold, which the answer engine's question normalisation uses, also
// narrows "￥" and "⦅" and widens half-width katakana, and switching the
// index to it could change the terms of texts holding those.
func FoldWidth(r rune) rune {
	switch {
	case r >= fullWidthFirst && r <= fullWidthLast:
		return r - fullWidthOffset
	case r == ideographicSpace:
		return ' '
	}
	return r
}

// FoldWidthString applies FoldWidth to every rune of s.
func FoldWidthString(s string) string { return strings.Map(FoldWidth, s) }

// DigitValue returns the value of an ASCII digit or a full-width one
// ("０"–"９"); ok is false for any other rune.
func DigitValue(r rune) (v int, ok bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

// IsDigit reports whether r is an ASCII or full-width digit.
func IsDigit(r rune) bool {
	_, ok := DigitValue(r)
	return ok
}

// FoldDigits returns s with its full-width digits ("１９９４年", as old
// reports write them) turned into ASCII ones; s itself, without a copy,
// when it has none.
func FoldDigits(s string) string {
	if !hasWideDigit(s) {
		return s
	}
	return strings.Map(foldDigit, s)
}

// foldDigit maps a full-width digit to its ASCII twin and keeps any other
// rune.
func foldDigit(r rune) rune {
	if r >= '０' && r <= '９' {
		return r - '０' + '0'
	}
	return r
}

// hasWideDigit reports whether s holds a full-width digit (U+FF10–U+FF19,
// encoded EF BC 90–99). It is strings.ContainsAny(s, "０１２３４５６７８９")
// without that function's cost on non-ASCII sets (a search of the set per
// rune of s): FoldDigits runs on every sentence of every hit.
func hasWideDigit(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

package answer

import (
	"strings"
	"unicode/utf8"
)

// hasSub is strings.Contains(s, sub), faster on Chinese text: the
// standard search looks for sub's first byte, and the lead byte of a
// three-byte UTF-8 character (0xe4–0xe9 for most Han characters) occurs
// at every third byte of such text, so it stops and compares almost every
// character. hasSub looks for sub's last byte instead, a continuation byte
// spread over 64 values. present and mayCount run it for every term on every
// sentence of the hits scored, a quarter of an answer's time.
func hasSub(s, sub string) bool {
	return indexSub(s, sub) >= 0
}

// indexSub is strings.Index(s, sub) found as hasSub finds it: the first
// end found is that of the first occurrence.
func indexSub(s, sub string) int {
	n := len(sub)
	if n < 3 || len(s) < 2*n {
		return strings.Index(s, sub)
	}
	last := sub[n-1]
	for i := n - 1; i < len(s); {
		j := strings.IndexByte(s[i:], last)
		if j < 0 {
			return -1
		}
		i += j
		if s[i-n+1:i+1] == sub {
			return i - n + 1
		}
		i++
	}
	return -1
}

// A rune signature summarises the runes a text holds in 64 bits: bit
// runeBit(r) for each. A text whose signature lacks one of a needle's
// bits cannot hold the needle. The paragraph cache keeps the signatures
// of each figure's clause and subject (a few dozen characters: a quarter
// to a half of the bits set), so that most of the question's words and
// their two-character pieces are ruled out there without a search; those
// searches were most of scoring a figure.

// runeBit is r's bit in a rune signature.
func runeBit(r rune) uint64 {
	return 1 << (uint32(r) * 0x9e3779b1 >> 26)
}

// textSig returns the rune signature of s.
func textSig(s string) uint64 {
	var sig uint64
	for _, r := range s {
		sig |= runeBit(r)
	}
	return sig
}

// textSigU returns a rune signature of s both as written and unquoted.
// Unquoting UTF-8 drops whole characters, so the first is enough; only
// bytes that are not UTF-8 can be read as other characters once marks
// between them are gone.
func textSigU(s string) uint64 {
	sig := textSig(s)
	if !utf8.ValidString(s) && hasQuoteMark(s) {
		sig |= textSig(unquote(s))
	}
	return sig
}

// needleSig returns the rune signature of needle, or 0 (which every text
// has) when needle holds bytes that are not UTF-8 (or U+FFFD): a text may
// hold such bytes within characters of its own, which its signature does
// not show. A needle of UTF-8 characters found in a text is read there as
// the same characters: a decoder never takes a character's first byte
// into the character before.
func needleSig(needle string) uint64 {
	var sig uint64
	for _, r := range needle {
		if r == utf8.RuneError {
			return 0
		}
		sig |= runeBit(r)
	}
	return sig
}

// hasSubSig reports whether one of the pieces holds sub. When sigs is not
// nil, sigs[i] is a rune signature of pieces[i] (or of more than it) and
// subSig needleSig(sub): a piece whose signature lacks one of sub's bits
// is not searched.
func hasSubSig(pieces []string, sigs []uint64, sub string, subSig uint64) bool {
	return hasSubSkip(pieces, sigs, sub, subSig, false)
}

// hasSubSkip is hasSubSig that, when skipFirst, does not search pieces[0]
// (known by other means not to hold sub).
func hasSubSkip(pieces []string, sigs []uint64, sub string, subSig uint64, skipFirst bool) bool {
	for i, s := range pieces {
		if i == 0 && skipFirst || sigs != nil && subSig&^sigs[i] != 0 {
			continue
		}
		if hasSub(s, sub) {
			return true
		}
	}
	return false
}

// wideSig is a 256-bit rune signature, for a paragraph: a paragraph has
// some hundreds of distinct characters, which set every bit of a 64-bit
// signature but a half to two thirds of these. Of the forms and pieces of
// a question the first stage looks for in a paragraph, about half are
// not there; this rules out two thirds of those without a search. Bit
// r's is the 64-bit signature's bit times four plus two bits more of the
// same hash.
type wideSig [4]uint64

// wideBit returns the word and bit of r in a wideSig.
func wideBit(r rune) (word int, bit uint64) {
	b := uint32(r) * 0x9e3779b1 >> 24
	return int(b >> 6), 1 << (b & 63)
}

// wideTextSig returns the 256-bit rune signature of s.
func wideTextSig(s string) wideSig {
	var w wideSig
	for _, r := range s {
		i, b := wideBit(r)
		w[i] |= b
	}
	return w
}

// has reports whether w has r's bit.
func (w *wideSig) has(r rune) bool {
	i, b := wideBit(r)
	return w[i]&b != 0
}

// mayHold reports whether a text with signature w may hold needle: false
// only when one of needle's characters has no bit in w (needleSig's
// rule: a needle with bytes that are not UTF-8 may be anywhere).
func (w *wideSig) mayHold(needle string) bool {
	for _, r := range needle {
		if r == utf8.RuneError {
			return true
		}
		if !w.has(r) {
			return false
		}
	}
	return true
}

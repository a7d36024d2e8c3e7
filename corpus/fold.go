package corpus

import (
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Traditional characters are folded to simplified ones so that a question
// in either script finds a report in the other: the 1950s reports are
// partly in traditional characters (鋼産量, 萬噸), questions mostly in
// simplified ones. The mapping is OpenCC's traditional-to-simplified
// character table (TSCharacters, through the longbridgeapp/opencc port),
// read one character at a time: folding never looks at the characters
// around, so a folded text has the same runes at the same places, and a
// rune is only replaced by one of the same UTF-8 length, so byte offsets
// into a folded text are offsets into the original (excerpts, figures and
// sentences are cut from the original with them).

// The block of characters foldTable covers: CJK Unified Ideographs and
// Extension A, where every traditional character of the reports lies.
const (
	foldLo = 0x3400
	foldHi = 0x9FFF
)

// foldTable caches each character's simplified form, filled as characters
// are met: 0 is not yet looked up, otherwise the folded rune plus one.
var foldTable [foldHi - foldLo + 1]atomic.Uint32

// t2s is the OpenCC converter and the lock its use takes (the port does
// not say it is safe for concurrent use; it is only used on a cache miss,
// at most once per character per process).
var t2s struct {
	once sync.Once
	mu   sync.Mutex
	cc   *opencc.OpenCC
}

// convertRune returns OpenCC's simplified form of r, or r when there is
// none of the same UTF-8 length (one rune for one).
func convertRune(r rune) rune {
	t2s.once.Do(func() {
		// The dictionaries are embedded in the port: an error means a
		// broken build, and folding then leaves text as it is.
		t2s.cc, _ = opencc.New("t2s")
	})
	if t2s.cc == nil {
		return r
	}
	t2s.mu.Lock()
	s, err := t2s.cc.Convert(string(r))
	t2s.mu.Unlock()
	if err != nil {
		return r
	}
	f, n := utf8.DecodeRuneInString(s)
	if n != len(s) || f == utf8.RuneError || utf8.RuneLen(f) != utf8.RuneLen(r) {
		return r
	}
	return f
}

// FoldHanRune returns the simplified form of the Chinese character r
// (鋼 → 钢, 萬 → 万, 産 → 产), r itself when it has none or is not a
// Chinese character. The result has r's UTF-8 length.
func FoldHanRune(r rune) rune {
	if r < foldLo || r > foldHi {
		return r
	}
	slot := &foldTable[r-foldLo]
	if v := slot.Load(); v != 0 {
		return rune(v - 1)
	}
	f := convertRune(r)
	slot.Store(uint32(f) + 1)
	return f
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

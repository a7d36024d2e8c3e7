package index

import "unicode/utf8"

// WordEnds returns the byte offsets in text at which its words end, in
// order: within a run of Han characters the ends of the words gse cuts it
// into (the same cut as the index's, stop words included), elsewhere every
// character is a word of its own. The place resolver reads a name only
// where it is a whole word (corpus/place.WordEnds).
func WordEnds(text string) []int {
	s := segmenter()
	sc := scratchPool.Get().(*cutScratch)
	defer scratchPool.Put(sc)
	var out []int
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if classify(fold(r)) != classHan {
			i += w
			out = append(out, i)
			continue
		}
		start := i
		for i < len(text) {
			r, w := utf8.DecodeRuneInString(text[i:])
			if classify(fold(r)) != classHan {
				break
			}
			i += w
		}
		// Han runes fold to themselves: the run is the text's own bytes,
		// and the cut's rune indexes map to byte offsets through sc.bo.
		run := text[start:i]
		for _, word := range sc.cut(s, run) {
			out = append(out, start+sc.bo[word.end])
		}
	}
	return out
}

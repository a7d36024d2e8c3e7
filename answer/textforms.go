package answer

import (
	"regexp"
	"slices"
	"strings"
)

// asciiCompound matches a Latin-letter code with a decimal number in it
// ("PM2.5", "pm2.5"): the segmenter cuts it at the point (PM2 | 5), and a
// question about PM2.5 would then look for PM2. The index keeps it whole.
var asciiCompound = regexp.MustCompile(`[A-Za-z]+\d+(?:\.\d+)+[A-Za-z]*`)

// takeASCIICompounds adds each compound asciiCompound finds in content as
// one term, in the forms reports write it (as asked, upper and lower
// case), through add, and returns content without them.
func takeASCIICompounds(content string, add func(word string, alts []string) bool) string {
	ms := asciiCompound.FindAllString(content, -1)
	if ms == nil {
		return content
	}
	for _, w := range ms {
		alts := []string{w}
		for _, f := range []string{strings.ToUpper(w), strings.ToLower(w)} {
			if f != w && !slices.Contains(alts, f) {
				alts = append(alts, f)
			}
		}
		add(w, alts)
	}
	return asciiCompound.ReplaceAllString(content, " ")
}

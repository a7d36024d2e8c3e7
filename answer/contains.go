package answer

import "strings"

// hasSub is strings.Contains(s, sub), faster on Chinese text: the
// standard search looks for sub's first byte, and the lead byte of a
// three-byte UTF-8 character (0xe4–0xe9 for most Han characters) occurs
// at every third byte of such text, so it stops and compares almost every
// character. hasSub looks for sub's last byte instead, a continuation byte
// spread over 64 values. present and mayCount run it for every term on every
// sentence of the hits scored, a quarter of an answer's time.
func hasSub(s, sub string) bool {
	n := len(sub)
	if n < 3 || len(s) < 2*n {
		return strings.Contains(s, sub)
	}
	last := sub[n-1]
	for i := n - 1; i < len(s); {
		j := strings.IndexByte(s[i:], last)
		if j < 0 {
			return false
		}
		i += j
		if s[i-n+1:i+1] == sub {
			return true
		}
		i++
	}
	return false
}

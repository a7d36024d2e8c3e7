package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// ErrNotText is returned by Decode for input that is neither UTF-8 (with or
// without BOM, or UTF-16 with BOM) nor GB18030/GBK text.
var ErrNotText = errors.New("not UTF-8 or GB18030 text")

// Decode returns data as a UTF-8 string and the name of the encoding it was
// detected in ("utf-8", "utf-16", "gb18030"). declared is an optional charset
// label (from an HTTP header or HTML meta tag); it is a hint only: bytes that
// are valid UTF-8 are taken as UTF-8 whatever is declared, because government
// sites often declare gb2312 for pages served as UTF-8 and vice versa.
func Decode(data []byte, declared string) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", "", fmt.Errorf("decode: UTF-8 BOM but invalid UTF-8: %w", ErrNotText)
		}
		return string(data), "utf-8", nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		s, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", "", fmt.Errorf("decode UTF-16: %w", err)
		}
		return string(s), "utf-16", nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", fmt.Errorf("decode: NUL bytes (binary file?): %w", ErrNotText)
	}
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	// Not UTF-8: GB18030 is a superset of GBK and GB2312, so one decoder covers
	// all three. The decoder never fails, it substitutes U+FFFD, so check that
	// the result is plausible text rather than mojibake of some other encoding.
	s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", fmt.Errorf("decode GB18030: %w", err)
	}
	text := string(s)
	if bad := strings.Count(text, "\uFFFD"); bad > 0 && bad*100 > utf8.RuneCountInString(text) {
		return "", "", fmt.Errorf("decode: %d undecodable characters (declared %q): %w", bad, declared, ErrNotText)
	}
	return text, "gb18030", nil
}

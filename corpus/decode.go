package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ErrNotText is returned by Decode for input that is neither UTF-8 (with or
// without BOM, or UTF-16 with BOM) nor GB18030/GBK text.
var ErrNotText = errors.New("not UTF-8 or GB18030 text")

// Decode returns data as a UTF-8 string and the name of the encoding it was
// detected in ("utf-8", "utf-16le", "utf-16be", "gb18030"). declared is an
// optional charset name (what an HTTP header or HTML meta tag says, see
// ExtractHTML); it is a hint for error messages only: bytes that are valid
// UTF-8 are taken as UTF-8 whatever is declared, because government sites
// often declare gb2312 for pages served as UTF-8 and vice versa.
//
// A byte order mark is found by charset.DetermineEncoding. Bare text has no
// declaration to go by, and the library's guess for it (UTF-8 only if its
// first 1,024 bytes are, else windows-1252) cannot tell GB18030 from other
// legacy encodings, so Decode keeps its own rule there: UTF-8 if the whole
// input is valid UTF-8, otherwise GB18030 if that decodes to plausible text.
func Decode(data []byte, declared string) (string, string, error) {
	if text, enc, ok, err := decodeBOM(data); ok {
		return text, enc, err
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

// decodeBOM decodes data that starts with a byte order mark (UTF-8,
// UTF-16LE or UTF-16BE) in the encoding the mark names, dropping the mark; ok
// is false when there is no mark. Without a Content-Type,
// charset.DetermineEncoding is certain only of a mark.
func decodeBOM(data []byte) (text, enc string, ok bool, err error) {
	e, name, certain := charset.DetermineEncoding(data, "")
	if !certain {
		return "", "", false, nil
	}
	if name == "utf-8" && !utf8.Valid(data) {
		return "", "", true, fmt.Errorf("decode: UTF-8 BOM but invalid UTF-8: %w", ErrNotText)
	}
	s, _, err := transform.Bytes(unicode.BOMOverride(e.NewDecoder()), data)
	if err != nil {
		return "", "", true, fmt.Errorf("decode %s: %w", name, err)
	}
	return string(s), name, true, nil
}

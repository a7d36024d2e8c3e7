package doctext

import (
	"bytes"
	"io"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// maxRange caps the codes one bfrange line may map (a hostile CMap).
const maxRange = 1 << 16

// toUnicode is a font's ToUnicode CMap (PDF 32000-1 §9.10.3): the code
// lengths its codespace ranges allow and the text of each code. The
// library reads ToUnicode only for some encodings (not for a Type 3 or a
// simple font with Differences) and decodes a whole string at once, while
// the walker needs code by code, so it is read here with the library's
// PostScript interpreter.
type toUnicode struct {
	space [4][][2]string // codespace ranges by code length - 1
	text  map[string]string
}

// maxCMap caps the size of a ToUnicode stream read.
const maxCMap = 4 << 20

// readToUnicode reads a ToUnicode stream; nil when there is none or it
// maps nothing. The stream is tokenized here rather than run through the
// library's PostScript interpreter, which cannot be given the dictionary
// a CMap's "/CIDInit /ProcSet findresource begin" expects.
func readToUnicode(v pdf.Value) (m *toUnicode) {
	if v.Kind() != pdf.Stream {
		return nil
	}
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	data, _ := io.ReadAll(io.LimitReader(rc, maxCMap))
	m = &toUnicode{text: map[string]string{}}
	var ops []cmapToken // operands since the last begin…
	for t := range cmapTokens(data) {
		switch t.kw {
		case "":
			ops = append(ops, t)
			continue
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, hi := ops[i].str, ops[i+1].str
				if len(lo) >= 1 && len(lo) <= 4 && len(lo) == len(hi) {
					m.space[len(lo)-1] = append(m.space[len(lo)-1], [2]string{lo, hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				m.text[ops[i].str] = utf16BE(ops[i+1].str)
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops); i += 3 {
				m.addRange(ops[i].str, ops[i+1].str, ops[i+2])
			}
		}
		ops = ops[:0]
	}
	if len(m.text) == 0 {
		return nil
	}
	return m
}

// cmapToken is a string operand, an array of strings (list), or a
// keyword (kw).
type cmapToken struct {
	str  string
	list []string
	kw   string
}

// cmapTokens yields the hex strings, arrays of them and keywords of a
// CMap; names, numbers, dictionaries and literal strings are skipped as
// keywords the reader ignores.
func cmapTokens(b []byte) func(yield func(cmapToken) bool) {
	return func(yield func(cmapToken) bool) {
		var list []string
		inList := false
		for i := 0; i < len(b); {
			c := b[i]
			switch {
			case c == '%':
				for i < len(b) && b[i] != '\n' && b[i] != '\r' {
					i++
				}
			case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>':
				i += 1 + boolInt(c == '<')
				if c == '>' && i < len(b) && b[i] == '>' {
					i++
				}
			case c == '<':
				j := bytes.IndexByte(b[i:], '>')
				if j < 0 {
					return
				}
				s := unhex(b[i+1 : i+j])
				i += j + 1
				if inList {
					list = append(list, s)
				} else if !yield(cmapToken{str: s}) {
					return
				}
			case c == '[':
				inList, list = true, nil
				i++
			case c == ']':
				inList = false
				i++
				if !yield(cmapToken{list: list}) {
					return
				}
			case c <= ' ':
				i++
			default:
				j := i + 1
				for j < len(b) && b[j] > ' ' && !bytes.ContainsRune([]byte("<>[]/%(){}"), rune(b[j])) {
					j++
				}
				kw := string(b[i:j])
				i = j
				if c == '/' || c == '(' || c == ')' || c == '{' || c == '}' || c == '-' || c >= '0' && c <= '9' {
					continue // a name, number or literal string: not needed
				}
				if !yield(cmapToken{kw: kw}) {
					return
				}
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unhex decodes a hex string, ignoring white space; an odd final digit is
// followed by 0, as the spec says.
func unhex(h []byte) string {
	var out []byte
	var hi byte
	half := false
	for _, c := range h {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

// addRange maps the codes lo…hi (which differ in their last byte only, as
// the spec requires) to consecutive texts from dst, or to dst's elements
// when it is an array.
func (m *toUnicode) addRange(lo, hi string, dst cmapToken) {
	if len(lo) == 0 || len(lo) != len(hi) || lo > hi {
		return
	}
	code := []byte(lo)
	last := len(code) - 1
	for i := 0; i < maxRange && string(code) <= hi; i++ {
		switch {
		case dst.list == nil && dst.kw == "":
			u := []byte(dst.str)
			if len(u) >= 2 {
				// Add i to the last UTF-16 unit.
				v := int(u[len(u)-2])<<8 | int(u[len(u)-1]) + i
				u[len(u)-2], u[len(u)-1] = byte(v>>8), byte(v)
			}
			m.text[string(code)] = utf16BE(string(u))
		case i < len(dst.list):
			m.text[string(code)] = utf16BE(dst.list[i])
		}
		if code[last] == 0xFF {
			break
		}
		code[last]++
	}
}

// codeLen is the length of the code at the start of s by the codespace
// ranges; 0 when they do not say.
func (m *toUnicode) codeLen(s string) int {
	for n := 1; n <= 4 && n <= len(s); n++ {
		for _, r := range m.space[n-1] {
			if r[0] <= s[:n] && s[:n] <= r[1] {
				return n
			}
		}
	}
	return 0
}

func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}

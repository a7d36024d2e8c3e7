package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// glyph is one character shown on a page, in page space (points, origin
// bottom left).
type glyph struct {
	x, y  float64 // origin of the glyph on the baseline
	w     float64 // advance width
	size  float64 // font size after scaling
	s     string  // the Unicode text of the glyph (usually one rune)
	space bool    // s is white space
}

// Limits against hostile files.
const (
	// maxFormDepth bounds nested form XObjects (a loop).
	maxFormDepth = 4
	// maxTreeDepth bounds the page tree (a cycle of Kids or Parent).
	maxTreeDepth = 32
	// maxPages bounds the pages read.
	maxPages = 5000
	// maxGlyphs bounds the characters of a document (a decompression
	// bomb); a long report has 100,000.
	maxGlyphs = 5_000_000
)

// pageRef is a page with the resources it has or inherits.
type pageRef struct {
	v         pdf.Value
	resources pdf.Value
}

// pageList returns the leaves of the page tree in order, with their
// inherited resources, stopping at maxTreeDepth and after visiting
// 2×maxPages nodes (the library's own page lookup loops forever on a
// cyclic tree; Kids [self self] would double at every level).
func pageList(root pdf.Value) []pageRef {
	budget := 2 * maxPages
	return pageTree(root, pdf.Value{}, 0, &budget)
}

func pageTree(node, resources pdf.Value, depth int, budget *int) []pageRef {
	if *budget--; *budget < 0 || depth > maxTreeDepth || node.Kind() != pdf.Dict {
		return nil
	}
	if r := node.Key("Resources"); r.Kind() == pdf.Dict {
		resources = r
	}
	kids := node.Key("Kids")
	if node.Key("Type").Name() == "Page" || kids.Kind() != pdf.Array {
		return []pageRef{{node, resources}}
	}
	var out []pageRef
	for i := 0; i < kids.Len() && len(out) < maxPages; i++ {
		out = append(out, pageTree(kids.Index(i), resources, depth+1, budget)...)
	}
	return out[:min(len(out), maxPages)]
}

// PDFText returns the text of a PDF in reading order: lines rebuilt from
// the glyph positions, lines of one paragraph joined (no break inside a
// figure or a Chinese sentence), each paragraph and heading on its own line
// with a blank line between them (see reflow). Errors wrap ErrEncrypted (a
// password is needed, or the encryption is AES-256, which the reader does
// not implement), ErrBroken (truncated or damaged file) or ErrNoText (no
// text layer: a scan).
func PDFText(data []byte) (text string, err error) {
	defer func() {
		// The reader panics on some malformed objects.
		if x := recover(); x != nil {
			text, err = "", fmt.Errorf("read PDF: %v: %w", x, ErrBroken)
		}
	}()
	data = normalizeHeader(data)
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", pdfOpenErr(err, bytes.Contains(data, []byte("/Encrypt")))
	}
	list := pageList(r.Trailer().Key("Root").Key("Pages"))
	n := len(list)
	if n == 0 {
		return "", fmt.Errorf("read PDF: no pages: %w", ErrBroken)
	}
	pages := make([][]glyph, 0, n)
	w := walker{fonts: map[string]*font{}}
	for i, p := range list {
		w.glyphs = nil
		if err := w.page(p); err != nil {
			return "", fmt.Errorf("read PDF page %d: %v: %w", i+1, err, ErrBroken)
		}
		pages = append(pages, w.glyphs)
	}
	text = reflow(pages)
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("read PDF (%d pages): no text layer, probably scanned images; OCR it first: %w", n, ErrNoText)
	}
	return text, nil
}

// normalizeHeader lets the reader, which knows PDF 1.x headers only, open
// PDF 2.0 files and files with bytes before the header.
func normalizeHeader(data []byte) []byte {
	i := bytes.Index(data[:min(len(data), pdfSearch)], magicPDF)
	if i < 0 {
		return data
	}
	data = data[i:]
	if len(data) > 9 && (data[5] != '1' || data[8] != '\n' && data[8] != '\r') {
		// "%PDF-2.0" or "%PDF-1.7 %âãÏÓ": the reader checks the version
		// digit and a line end at byte 8.
		fixed := make([]byte, len(data))
		copy(fixed, data)
		copy(fixed, "%PDF-1.7\n")
		if j := bytes.IndexAny(data[8:min(len(data), 64)], "\r\n"); j >= 0 {
			// Keep offsets: blank out the rest of the original first line.
			for k := 9; k < 8+j; k++ {
				fixed[k] = ' '
			}
			if 8+j > 8 {
				fixed[8+j-1] = ' '
				fixed[8] = '\n'
			}
		}
		data = fixed
	}
	return data
}

// pdfOpenErr classifies the reader's error when opening a file; encrypted
// tells whether the file has an encryption dictionary.
func pdfOpenErr(err error, encrypted bool) error {
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return fmt.Errorf("read PDF: it is password-protected; save an unprotected copy and add that: %w", ErrEncrypted)
	case encrypted || strings.Contains(msg, "encrypt"):
		// The reader opens files locked with an owner password only when
		// they use RC4 or AES-128; AES-256 (PDF 2.0) it cannot decrypt.
		return fmt.Errorf("read PDF: it is encrypted (password-protected, or AES-256 which govbot cannot decrypt: %s); save an unprotected copy (print to PDF) and add that: %w", msg, ErrEncrypted)
	case strings.Contains(msg, "EOF") || strings.Contains(msg, "startxref"):
		return fmt.Errorf("read PDF: %s (the file is cut short: download it again): %w", msg, ErrBroken)
	}
	return fmt.Errorf("read PDF: %s: %w", msg, ErrBroken)
}

// font is what the walker needs of a PDF font: how to cut a string into
// character codes, each code's Unicode text and advance width.
type font struct {
	v       pdf.Value
	uni     *toUnicode       // the ToUnicode CMap, preferred when present
	enc     pdf.TextEncoding // the library's decoding of the font encoding, made when needed
	twoByte bool             // Type0 (CID) font: codes are two bytes
	first   int              // simple font: the code of widths[0]
	widths  []float64        // simple font: advance widths, 1/1000 em
	cid     map[int]float64  // CID font: W array
	dw      float64          // CID font: default width
	scale   float64          // glyph space to text space (1/1000, or a Type3 FontMatrix)
}

func newFont(v pdf.Value) *font {
	f := &font{v: v, uni: readToUnicode(v.Key("ToUnicode")), scale: 0.001}
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.twoByte = true
		d := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cid = cidWidths(d.Key("W"))
	case "Type3":
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			f.scale = m.Index(0).Float64()
		}
		fallthrough
	default:
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		for i := 0; i < ws.Len(); i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
	}
	return f
}

// cidWidths reads a CID font's W array: "c [w1 w2 …]" and "cfirst clast w".
func cidWidths(w pdf.Value) map[int]float64 {
	m := map[int]float64{}
	for i := 0; i < w.Len(); {
		c := int(w.Index(i).Int64())
		if i+1 < w.Len() && w.Index(i+1).Kind() == pdf.Array {
			ws := w.Index(i + 1)
			for j := 0; j < ws.Len(); j++ {
				m[c+j] = ws.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		last, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
		for c2 := c; c2 <= last && c2-c < 1<<16; c2++ {
			m[c2] = width
		}
		i += 3
	}
	return m
}

// width is the advance of code in text space units per unit font size; 0
// when the font does not say.
func (f *font) width(code int) float64 {
	if f.twoByte {
		if w, ok := f.cid[code]; ok {
			return w * f.scale
		}
		return f.dw * f.scale
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) {
		return f.widths[i] * f.scale
	}
	return 0
}

// next cuts the first character code off s and returns it with its text:
// code length from the ToUnicode codespace, else one byte (two for a CID
// font); text from ToUnicode, else the library's decoding of the font
// encoding.
func (f *font) next(s string) (code, text string) {
	n := 1
	if f.twoByte {
		n = 2
	}
	if f.uni != nil {
		if l := f.uni.codeLen(s); l > 0 {
			n = l
		}
	}
	n = min(n, len(s))
	code = s[:n]
	if f.uni != nil {
		if t, ok := f.uni.text[code]; ok {
			return code, t
		}
	}
	if f.enc == nil {
		pf := pdf.Font{V: f.v}
		if f.enc = pf.Encoder(); f.enc == nil {
			f.enc = identityEncoding{}
		}
	}
	return code, f.enc.Decode(code)
}

// identityEncoding passes codes through as Latin-1 (no encoding known).
type identityEncoding struct{}

func (identityEncoding) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func matrixOf(args []pdf.Value) (matrix, bool) {
	var m matrix
	if len(args) != 6 {
		return m, false
	}
	for i, a := range args {
		m[i] = a.Float64()
	}
	return m, true
}

// gstate is the part of the graphics and text state that places glyphs.
type gstate struct {
	ctm                  matrix
	font                 *font
	size                 float64 // Tfs
	tc, tw, th, tl, rise float64
}

// walker runs a page's content stream and records its glyphs. It follows
// the text operators of PDF 32000-1 §9.4 and form XObjects (§8.10); it is
// here, not the library's Page.Content, because that one gives CID
// (Chinese) fonts no advance widths and adds a spurious glyph after every
// TJ.
type walker struct {
	fonts  map[string]*font // the document's fonts, by their dictionary's text
	glyphs []glyph
	total  int // glyphs of the whole document
	depth  int
}

func (w *walker) page(p pageRef) (err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%v", x)
		}
	}()
	contents := p.v.Key("Contents")
	if contents.IsNull() {
		return nil
	}
	w.run(contents, p.resources, identity)
	return nil
}

// popArgs pops an operator's operands, first operand first.
func popArgs(stk *pdf.Stack) []pdf.Value {
	args := make([]pdf.Value, stk.Len())
	for i := len(args) - 1; i >= 0; i-- {
		args[i] = stk.Pop()
	}
	return args
}

// run interprets one content stream with its resources, under ctm.
func (w *walker) run(strm, res pdf.Value, ctm matrix) {
	g := gstate{ctm: ctm, th: 1}
	var stack []gstate
	var tm, tlm matrix
	fonts := map[string]*font{} // this stream's resources, by name
	fontNamed := func(name string) *font {
		if f, ok := fonts[name]; ok {
			return f
		}
		v := res.Key("Font").Key(name)
		key := v.String() // the dictionary's text: the same font object on every page
		f, ok := w.fonts[key]
		if !ok {
			f = newFont(v)
			w.fonts[key] = f
		}
		fonts[name] = f
		return f
	}
	show := func(s string) {
		if g.font == nil {
			return
		}
		for i := 0; i < len(s); {
			raw, text := g.font.next(s[i:])
			i += len(raw)
			code := 0
			for j := 0; j < len(raw); j++ {
				code = code<<8 | int(raw[j])
			}
			wd := g.font.width(code)
			trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(tm).mul(g.ctm)
			adv := wd * g.size
			if wd == 0 {
				adv = estimateWidth(text) * g.size
			}
			end := matrix{1, 0, 0, 1, adv * g.th, g.rise}.mul(tm).mul(g.ctm) // far edge
			tx := adv + g.tc
			if raw == " " {
				tx += g.tw
			}
			tm = matrix{1, 0, 0, 1, tx * g.th, 0}.mul(tm)
			if text == "" || text == "\x00" {
				continue
			}
			if w.total++; w.total > maxGlyphs {
				panic(fmt.Sprintf("more than %d characters", maxGlyphs))
			}
			w.glyphs = append(w.glyphs, glyph{
				x: trm[4], y: trm[5], size: math.Hypot(trm[2], trm[3]),
				w: math.Hypot(end[4]-trm[4], end[5]-trm[5]), s: text,
				space: strings.TrimSpace(text) == "",
			})
		}
	}
	nextLine := func(tx, ty float64) {
		tlm = matrix{1, 0, 0, 1, tx, ty}.mul(tlm)
		tm = tlm
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args := popArgs(stk)
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			stack = append(stack, g)
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if m, ok := matrixOf(args); ok {
				g.ctm = m.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				g.font, g.size = fontNamed(args[0].Name()), args[1].Float64()
			}
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Td":
			nextLine(num(0), num(1))
		case "TD":
			g.tl = -num(1)
			nextLine(num(0), num(1))
		case "Tm":
			if m, ok := matrixOf(args); ok {
				tm, tlm = m, m
			}
		case "T*":
			nextLine(0, -g.tl)
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'":
			nextLine(0, -g.tl)
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				nextLine(0, -g.tl)
				show(args[2].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				v := a.Index(i)
				if v.Kind() == pdf.String {
					show(v.RawString())
					continue
				}
				tx := -v.Float64() / 1000 * g.size * g.th
				tm = matrix{1, 0, 0, 1, tx, 0}.mul(tm)
			}
		case "Do":
			if len(args) == 1 && w.depth < maxFormDepth {
				x := res.Key("XObject").Key(args[0].Name())
				if x.Key("Subtype").Name() != "Form" {
					return
				}
				m, ok := matrixOf(valuesOf(x.Key("Matrix")))
				if !ok {
					m = identity
				}
				xres := x.Key("Resources")
				if xres.IsNull() {
					xres = res
				}
				w.depth++
				w.run(x, xres, m.mul(g.ctm))
				w.depth--
			}
		}
	})
}

func valuesOf(a pdf.Value) []pdf.Value {
	out := make([]pdf.Value, a.Len())
	for i := range out {
		out[i] = a.Index(i)
	}
	return out
}

// estimateWidth is the advance, per unit font size, of a glyph whose font
// gives no width: one em for a wide (CJK) character, half for others.
func estimateWidth(s string) float64 {
	r, _ := utf8.DecodeRuneInString(s)
	if isWide(r) {
		return 1
	}
	return 0.5
}

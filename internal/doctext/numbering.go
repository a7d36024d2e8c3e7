package doctext

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// maxPartXML caps the numbering and styles parts read.
const maxPartXML = 8 << 20

// numbering renders Word's automatic list numbering (word/numbering.xml,
// ECMA-376 §17.9): a heading numbered by Word rather than typed ("一、",
// "（一）", "1.") gets its number in the text, so that corpus.Parse sees
// the same numbered heading as in a typed document.
type numbering struct {
	abstract map[string]map[int]numLevel // abstractNumId → level → format
	nums     map[string]string           // numId → abstractNumId
	styles   map[string]numRef           // paragraph style → its numbering
	counts   map[string][]int            // numId → counter per level (0: not started)
}

// numLevel is one level of a list: its number format (w:numFmt), its text
// with %1…%9 placeholders (w:lvlText) and its first number (w:start).
type numLevel struct {
	format, text string
	start        int
}

// numRef is a paragraph's numbering: numId and level.
type numRef struct {
	id    string
	level int
}

// readNumbering reads word/numbering.xml and the numbering of paragraph
// styles in word/styles.xml; nil when the document has no numbering.
func readNumbering(files []*zip.File) *numbering {
	n := &numbering{abstract: map[string]map[int]numLevel{}, nums: map[string]string{},
		styles: map[string]numRef{}, counts: map[string][]int{}}
	found := false
	for _, f := range files {
		switch f.Name {
		case "word/numbering.xml":
			found = n.readPart(f, n.numberingElement) == nil
		case "word/styles.xml":
			_ = n.readPart(f, n.stylesElement)
		}
	}
	if !found {
		return nil
	}
	return n
}

// readPart streams a part's start elements to handle.
func (n *numbering) readPart(f *zip.File, handle func(*xmlPath, xml.StartElement)) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(io.LimitReader(rc, maxPartXML))
	var path xmlPath
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path.push(t)
			handle(&path, t)
		case xml.EndElement:
			path.pop()
		}
	}
}

// xmlPath is the chain of open elements with the attribute that
// identifies them (w:abstractNumId, w:numId, w:ilvl, w:styleId).
type xmlPath struct {
	names []string
	ids   []string
}

func (p *xmlPath) push(e xml.StartElement) {
	id := attr(e, "abstractNumId") + attr(e, "numId") + attr(e, "ilvl") + attr(e, "styleId")
	p.names, p.ids = append(p.names, e.Name.Local), append(p.ids, id)
}

func (p *xmlPath) pop() {
	if len(p.names) > 0 {
		p.names, p.ids = p.names[:len(p.names)-1], p.ids[:len(p.ids)-1]
	}
}

// within returns the id of the nearest open element named name.
func (p *xmlPath) within(name string) (string, bool) {
	for i := len(p.names) - 1; i >= 0; i-- {
		if p.names[i] == name {
			return p.ids[i], true
		}
	}
	return "", false
}

func (n *numbering) numberingElement(p *xmlPath, e xml.StartElement) {
	val := attr(e, "val")
	switch e.Name.Local {
	case "abstractNumId":
		if num, ok := p.within("num"); ok {
			n.nums[num] = val
		}
	case "numFmt", "lvlText", "start":
		abs, ok1 := p.within("abstractNum")
		lvl, ok2 := p.within("lvl")
		if !ok1 || !ok2 {
			return
		}
		level, _ := strconv.Atoi(lvl)
		if n.abstract[abs] == nil {
			n.abstract[abs] = map[int]numLevel{}
		}
		l := n.abstract[abs][level]
		switch e.Name.Local {
		case "numFmt":
			l.format = val
		case "lvlText":
			l.text = val
		case "start":
			l.start, _ = strconv.Atoi(val)
		}
		n.abstract[abs][level] = l
	}
}

func (n *numbering) stylesElement(p *xmlPath, e xml.StartElement) {
	style, ok := p.within("style")
	if !ok {
		return
	}
	if _, ok := p.within("numPr"); !ok {
		return
	}
	r := n.styles[style]
	switch e.Name.Local {
	case "numId":
		r.id = attr(e, "val")
	case "ilvl":
		r.level, _ = strconv.Atoi(attr(e, "val"))
	}
	n.styles[style] = r
}

// label advances the list of ref and returns the paragraph's number text
// ("" for no numbering, a bullet or a format it does not know).
func (n *numbering) label(ref numRef) string {
	abs, ok := n.nums[ref.id]
	if !ok || ref.level < 0 || ref.level > 8 {
		return ""
	}
	levels := n.abstract[abs]
	startOf := func(l int) int { return max(levels[l].start, 1) }
	c := n.counts[ref.id]
	if c == nil {
		c = []int{-1, -1, -1, -1, -1, -1, -1, -1, -1} // -1: not started
		n.counts[ref.id] = c
	}
	if c[ref.level] < 0 {
		c[ref.level] = startOf(ref.level)
	} else {
		c[ref.level]++
	}
	for deeper := ref.level + 1; deeper < len(c); deeper++ {
		c[deeper] = -1
	}
	lvl := levels[ref.level]
	if lvl.format == "bullet" || lvl.format == "none" {
		return ""
	}
	text := lvl.text
	for i := 0; i <= ref.level; i++ {
		v := c[i]
		if v < 0 {
			v = startOf(i)
		}
		s, ok := formatNumber(levels[i].format, v)
		if !ok {
			return ""
		}
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(i+1), s)
	}
	return text
}

// formatNumber writes v in a w:numFmt format.
func formatNumber(format string, v int) (string, bool) {
	switch format {
	case "", "decimal", "decimalZero":
		if format == "decimalZero" && v < 10 {
			return "0" + strconv.Itoa(v), true
		}
		return strconv.Itoa(v), true
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, d := range strconv.Itoa(v) {
			b.WriteRune(d - '0' + '０')
		}
		return b.String(), true
	case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "japaneseCounting":
		return chineseNumeral(v), true
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if v >= 1 && v <= 20 {
			return string(rune('①' + v - 1)), true
		}
		return strconv.Itoa(v), true
	case "lowerLetter", "upperLetter":
		if v < 1 {
			return "", false
		}
		base := 'a'
		if format == "upperLetter" {
			base = 'A'
		}
		return strings.Repeat(string(base+rune((v-1)%26)), (v-1)/26+1), true
	case "lowerRoman", "upperRoman":
		s := roman(v)
		if format == "lowerRoman" {
			s = strings.ToLower(s)
		}
		return s, true
	}
	return "", false
}

// chineseNumeral writes 1…99 as 一…九十九 (larger numbers in digits: no
// report numbers its sections past that).
func chineseNumeral(v int) string {
	digits := []rune("零一二三四五六七八九")
	switch {
	case v < 1 || v > 99:
		return strconv.Itoa(v)
	case v < 10:
		return string(digits[v])
	}
	s := ""
	if v/10 > 1 {
		s = string(digits[v/10])
	}
	s += "十"
	if v%10 > 0 {
		s += string(digits[v%10])
	}
	return s
}

func roman(v int) string {
	if v < 1 || v > 3999 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, n := range vals {
		for v >= n {
			b.WriteString(syms[i])
			v -= n
		}
	}
	return b.String()
}

package doctext

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Layout rules, in units of the font size (em) unless named otherwise.
const (
	// sameLine is how far (em) a glyph's baseline may be from a line's and
	// still belong to it (sub- and superscripts, mixed fonts).
	sameLine = 0.45
	// wordGap is the gap (em) between two narrow glyphs that is a space.
	wordGap = 0.2
	// cellGap is the gap (em) between any two glyphs that is a space:
	// table cells, or a label and its value, set apart on one line.
	cellGap = 2.0
	// fakeBold is how close (em) a repeated glyph is drawn over itself
	// to be one glyph (bold simulated by drawing twice).
	fakeBold = 0.15
	// indent is how far right of the left margin (em) a line must start
	// to begin a paragraph (first-line indent, centred title).
	indent = 0.5
	// shortLine is how far left of the right margin (em) a line must end
	// to end its paragraph.
	shortLine = 1.5
	// sizeChange is the relative change of font size that separates a
	// heading from its paragraph.
	sizeChange = 0.12
	// paraGap is the vertical distance, in typical line pitches, that
	// separates paragraphs set with space between them.
	paraGap = 1.6
	// marginSlack (points) groups line starts or ends into one margin.
	marginSlack = 2.0
	// marginLines is how many lines must share a margin for it to count.
	marginLines = 3
)

// line is one line of text on a page.
type line struct {
	text         string
	x0, x1, y    float64 // first glyph's left, last glyph's right, baseline
	size         float64 // largest font size on the line
	page         int
	first, final bool // first or last line of its page
}

// reflow turns pages of glyphs into text: lines rebuilt, page numbers and
// running headers dropped, and lines joined into paragraphs, one paragraph
// (or heading) a line, separated by blank lines. A line starts a new
// paragraph when it is indented or centred, when the line before it ended
// short of the right margin, when the font size changes, or when the
// vertical gap is larger than the usual line pitch. Lines are joined with
// nothing between them (Chinese text, and a number wrapped away from its
// unit) except a space between two Latin letters.
func reflow(pages [][]glyph) string {
	var lines []line
	for i, gs := range pages {
		pl := buildLines(gs)
		for j := range pl {
			pl[j].page = i
			pl[j].first, pl[j].final = j == 0, j == len(pl)-1
		}
		lines = append(lines, pl...)
	}
	lines = dropFurniture(lines, len(pages))
	if len(lines) == 0 {
		return ""
	}
	left, right := margins(lines)
	pageLeft, pageRight := map[int]float64{}, map[int]float64{}
	for p := range len(pages) {
		var pl []line
		for _, l := range lines {
			if l.page == p {
				pl = append(pl, l)
			}
		}
		pageLeft[p], pageRight[p] = left, right
		if l, r := margins(pl); len(pl) >= marginLines {
			pageLeft[p], pageRight[p] = l, r
		}
	}
	lay := layout{left: pageLeft, right: pageRight, pitch: linePitch(lines), body: bodySize(lines)}

	var out strings.Builder
	var para strings.Builder
	flush := func() {
		if s := strings.TrimSpace(para.String()); s != "" {
			if out.Len() > 0 {
				out.WriteString("\n")
			}
			out.WriteString(s)
		}
		para.Reset()
	}
	for i, l := range lines {
		if i > 0 && lay.startsParagraph(lines[i-1], l) {
			flush()
		}
		if para.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(para.String())
			next, _ := utf8.DecodeRuneInString(l.text)
			if isLatinLetter(prev) && isLatinLetter(next) {
				para.WriteByte(' ')
			}
		}
		para.WriteString(l.text)
	}
	flush()
	out.WriteByte('\n')
	return out.String()
}

// layout is what the paragraph rules measure lines against.
type layout struct {
	left, right map[int]float64 // body margins by page
	pitch       float64         // usual baseline distance of body lines
	body        float64         // usual font size of body lines
}

// startsParagraph decides whether line b begins a new paragraph after a.
func (lay layout) startsParagraph(a, b line) bool {
	size := math.Max(a.size, b.size)
	if math.Abs(a.size-b.size) > sizeChange*size {
		return true
	}
	pitch := lay.pitch * size / math.Max(lay.body, 1) // larger type, wider pitch
	if a.page == b.page && lay.pitch > 0 && a.y-b.y > paraGap*pitch {
		return true
	}
	if size > (1+sizeChange)*lay.body && lay.centred(a) && lay.centred(b) {
		return false // a title set in larger type over two lines
	}
	return b.x0 > lay.left[b.page]+indent*b.size || a.x1 < lay.right[a.page]-shortLine*a.size
}

// centred reports whether l is centred between the margins (a full line
// is too).
func (lay layout) centred(l line) bool {
	mid := (lay.left[l.page] + lay.right[l.page]) / 2
	return math.Abs((l.x0+l.x1)/2-mid) < l.size
}

// bodySize is the most common font size of the lines, by characters.
func bodySize(lines []line) float64 {
	count := map[float64]int{}
	best, bestN := 0.0, 0
	for _, l := range lines {
		s := math.Round(l.size*2) / 2
		count[s] += utf8.RuneCountInString(l.text)
		if count[s] > bestN {
			best, bestN = s, count[s]
		}
	}
	return best
}

// buildLines groups a page's glyphs into lines, top to bottom, each left
// to right.
func buildLines(gs []glyph) []line {
	order := make([]int, len(gs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		switch {
		case gs[i].y > gs[j].y:
			return -1
		case gs[i].y < gs[j].y:
			return 1
		}
		return 0
	})
	var lines []line
	for start := 0; start < len(order); {
		base := gs[order[start]]
		end := start + 1
		for end < len(order) {
			g := gs[order[end]]
			tol := sameLine * math.Max(1, math.Min(base.size, g.size))
			if base.y-g.y > tol {
				break
			}
			end++
		}
		members := make([]glyph, 0, end-start)
		for _, k := range order[start:end] {
			members = append(members, gs[k])
		}
		slices.SortStableFunc(members, func(a, b glyph) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		if l, ok := makeLine(members); ok {
			lines = append(lines, l)
		}
		start = end
	}
	return lines
}

// makeLine joins a line's glyphs (sorted by x) into text, with a space
// where the PDF shows one or where two narrow glyphs stand a word gap
// apart, and none between Chinese characters.
func makeLine(gs []glyph) (line, bool) {
	var b strings.Builder
	l := line{x0: math.Inf(1), x1: math.Inf(-1)}
	var prev *glyph
	pendingSpace := false
	for i := range gs {
		g := &gs[i]
		if g.space {
			pendingSpace = prev != nil
			continue
		}
		if prev != nil && g.s == prev.s && math.Abs(g.x-prev.x) < fakeBold*g.size {
			continue
		}
		if prev != nil {
			r0, _ := utf8.DecodeLastRuneInString(prev.s)
			r1, _ := utf8.DecodeRuneInString(g.s)
			gap := g.x - (prev.x + prev.w)
			narrow := !isWide(r0) && !isWide(r1)
			if pendingSpace || narrow && gap > wordGap*g.size || gap > cellGap*g.size {
				b.WriteByte(' ')
			}
		}
		pendingSpace = false
		b.WriteString(g.s)
		l.x0 = math.Min(l.x0, g.x)
		l.x1 = math.Max(l.x1, g.x+g.w)
		l.y = g.y
		l.size = math.Max(l.size, g.size)
		prev = g
	}
	l.text = strings.TrimSpace(b.String())
	return l, l.text != ""
}

// pageNumber matches the page number lines of a report: "3", "- 3 -",
// "— 3 —", "第3页", "第3页 共12页", "3/12".
var pageNumber = regexp.MustCompile(`^[\s\-—–－·•]*(第\s*)?\d{1,4}\s*(页)?\s*([/／共]\s*\d{1,4}\s*页?)?[\s\-—–－·•]*$`)

// dropFurniture removes page numbers (the first or last line of a page
// that is only a number) and running headers or footers (a first or last
// line that recurs, numbers aside, on at least half the pages, and on
// three or more).
func dropFurniture(lines []line, pages int) []line {
	digits := regexp.MustCompile(`\d+`)
	recurring := map[string]int{}
	for _, l := range lines {
		if l.first || l.final {
			recurring[digits.ReplaceAllString(l.text, "#")]++
		}
	}
	out := lines[:0:0]
	for _, l := range lines {
		if l.first || l.final {
			if pageNumber.MatchString(l.text) {
				continue
			}
			if n := recurring[digits.ReplaceAllString(l.text, "#")]; pages >= 3 && n >= 3 && 2*n >= pages {
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// margins returns the body's left and right margins: the leftmost line
// start and the rightmost line end that at least marginLines lines share
// (so that one stray line does not move them); with fewer lines, the
// extremes.
func margins(lines []line) (left, right float64) {
	starts := make([]float64, len(lines))
	ends := make([]float64, len(lines))
	for i, l := range lines {
		starts[i], ends[i] = l.x0, -l.x1
	}
	return sharedExtreme(starts), -sharedExtreme(ends)
}

// sharedExtreme is the smallest value that marginLines values are within
// marginSlack of, or the smallest value.
func sharedExtreme(vals []float64) float64 {
	slices.Sort(vals)
	for i, v := range vals {
		n := 0
		for _, w := range vals[i:] {
			if w-v > marginSlack {
				break
			}
			n++
		}
		if n >= marginLines {
			return v
		}
	}
	if len(vals) == 0 {
		return 0
	}
	return vals[0]
}

// linePitch is the most common baseline distance between consecutive
// lines of a page (0 if none).
func linePitch(lines []line) float64 {
	count := map[float64]int{}
	best, bestN := 0.0, 0
	for i := 1; i < len(lines); i++ {
		a, b := lines[i-1], lines[i]
		if a.page != b.page {
			continue
		}
		d := math.Round((a.y-b.y)*2) / 2
		if d <= 0 {
			continue
		}
		count[d]++
		if count[d] > bestN || count[d] == bestN && d < best {
			best, bestN = d, count[d]
		}
	}
	return best
}

// isWide reports whether r is a full-width character: Han, kana, Hangul,
// CJK punctuation and full-width forms.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r >= 0x2E80 && r <= 0x2FDF ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

func isLatinLetter(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r)
}

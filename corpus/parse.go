package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbot/govbot/internal/zhtext"
)

// figureExtractor fills Paragraph.Figures. It is nil until the figure
// extraction code (figure*.go) sets it from an init function; the parser
// does not depend on that code so either can be built and tested alone.
var figureExtractor func(string) []Figure

// Errors wrapped by Parse.
var (
	// ErrEmpty is returned for input with no text at all.
	ErrEmpty = errors.New("empty input")
	// ErrNoParagraphs is returned for text in which no body paragraph was
	// found (only a title or header, for instance).
	ErrNoParagraphs = errors.New("no paragraphs found")
)

// ParseFile reads the report at path and parses it with Parse, using the
// file's base name as the name.
func ParseFile(path string, meta Meta) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return Parse(filepath.Base(path), data, meta)
}

// Parse decodes data (UTF-8, UTF-16 with BOM or GB18030, see Decode) and
// splits it into metadata, headings and paragraphs. name is the file name;
// the report ID defaults to it without its extension.
//
// Metadata is read from the text: a disclosure header (索引号 / 主题分类 /
// 发文日期 / 发布机构 / 文号, the value on the same line after a colon or on
// the next line), a title line, and a speech header ("——2024年3月5日在第十四届
// 全国人民代表大会第二次会议上" with the speaker "国务院总理　李　强" on the
// next line or in the same line). The people's congress named gives the
// issuer (全国人民代表大会 → 国务院, 湖北省第十四届… → 湖北省人民政府) and the
// date gives Published and Year. The lines so consumed are kept in
// Report.Header. A front matter block (below) overrides the text, and the
// non-empty fields of meta override both.
//
// Every other non-blank line is a heading or a paragraph. Lines split by a
// typesetting accident (a line that is only "（" or "一、", a line ending in
// "《", a line starting with "》" or "，") are joined to their neighbour.
// Headings are recognised by their numbering: 第一章/第一部分 and 一、
// (outermost), 第一节, （一）, 一是 and 第一， (these two only as short lines of
// their own), 1. 1、 １．, （1）, in half- or full-width forms; by the words
// 附件, 名词解释, 结束语; and, for short unpunctuated lines, by being followed
// by a numbering that restarts at one. Numbering must continue the open
// sequence (a "1." under "3、" is a nested list item, not a heading). A
// heading standing alone on its line is at most 40 runes. When a numbered
// line goes on after its first sentence ("1.深入学习贯彻习近平法治思想。把学
// 习…"), the heading is that first sentence, without its full stop and at
// most 60 runes, marked Inline; the whole line, heading sentence included, is
// also a paragraph under that heading, because the heading sentence states a
// result that answers questions. Heading levels are the depth in the path
// actually built, so Path[i].Level == i+1 even when a report skips a level.
//
// No text is lost: the non-space runes of the body are exactly those of
// Header, the non-inline Headings, the Paragraphs and Chrome (see
// parse_chrome.go: the page chrome of scraped texts), taken in line order,
// except the runs of "??" that mark characters a scraper lost.
//
// Errors wrap ErrEmpty, ErrNotText (binary or undecodable input),
// ErrFrontMatter or ErrNoParagraphs, with the name for context.
//
// Front matter:
//
// A report file may start with a front matter block that states metadata the
// text lacks (many State Council reports begin directly with "各位代表："):
//
//	---
//	title: 2025年中华人民共和国国务院政府工作报告
//	issuer: 国务院
//	date: 2025-03-05
//	url: https://www.gov.cn/...
//	---
//
// The block starts at the first non-blank line, which must be exactly "---",
// and ends at the next line that is exactly "---". Every line in between is
// blank, a comment starting with "#", or "key: value" (the colon may be
// full-width "："; the value may be wrapped in double or single quotes).
// Keys, case-insensitive, with their Chinese equivalents:
//
//	id                       report ID (default: file name without extension)
//	title, 标题               title
//	issuer, 发布机构           issuing body
//	speaker                  who delivered the report
//	date, 发文日期             publication date, YYYY-MM-DD or 2024年2月28日
//	year                     year of the report
//	url                      source link
//	source                   where the text came from, when not a URL
//	doc_number, 文号          document number
//	index_number, 索引号       disclosure index number
//	topic, 主题分类            disclosure topic
//
// An unknown key, a bad date or year, or a missing closing "---" is an error
// wrapping ErrFrontMatter. The block is removed before the body is parsed;
// its values override what the text says, and the Meta passed to Parse
// overrides both.
func Parse(name string, data []byte, meta Meta) (*Report, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("parse %s: %w", name, ErrEmpty)
	}
	text, _, err := Decode(data, "")
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	if strings.TrimFunc(text, unicode.IsSpace) == "" {
		return nil, fmt.Errorf("parse %s: %w", name, ErrEmpty)
	}
	if bad := controlRunes(text); bad*100 > utf8.RuneCountInString(text) {
		return nil, fmt.Errorf("parse %s: %d control characters (binary file?): %w", name, bad, ErrNotText)
	}
	fm, body, skipped, err := splitFrontMatter(text)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	r := &Report{}
	tm := parseBody(r, body, skipped)
	r.Meta = tm.Meta
	r.ID = reportID(name)
	if r.Issuer == "" {
		r.Issuer = tm.issuerFromTitle
	}
	inferMeta(r, &tm)
	r.Meta = r.Meta.Override(fm.Dated()).Override(meta.Dated())
	if r.titleMade && (fm.Title != "" || meta.Title != "") {
		r.titleMade = false
	}
	if len(r.Paragraphs) == 0 {
		return nil, fmt.Errorf("parse %s: %w", name, ErrNoParagraphs)
	}
	for i := range r.Paragraphs {
		p := &r.Paragraphs[i]
		p.Seq = i + 1
		p.ID = fmt.Sprintf("%s#p%d", r.ID, p.Seq)
		if figureExtractor != nil {
			p.Figures = figureExtractor(p.Text)
		}
	}
	return r, nil
}

// reportID is the file name without directory and extension.
func reportID(name string) string {
	base := filepath.Base(name)
	if base == "." || base == string(filepath.Separator) || name == "" {
		return "report"
	}
	if id := strings.TrimSuffix(base, filepath.Ext(base)); id != "" {
		return id
	}
	return base
}

// controlRunes counts runes that do not occur in text files: C0/C1
// controls other than tab, newline, carriage return and form feed, and the
// replacement character left by undecodable bytes.
func controlRunes(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		case unicode.IsControl(r) || r == utf8.RuneError:
			n++
		}
	}
	return n
}

// line is one non-blank line of the body, trimmed of surrounding space.
type line struct {
	text        string
	no          int  // 1-based line number in the decoded file
	blankBefore bool // a blank line precedes it
}

// splitLines splits body into non-blank trimmed lines. firstNo is the file
// line number of the body's first line minus one.
func splitLines(body string, skipped int) []line {
	var out []line
	no := skipped
	blank := false
	for len(body) > 0 {
		i := strings.IndexAny(body, "\n\r\u2028\u2029")
		var l string
		if i < 0 {
			l, body = body, ""
		} else {
			l = body[:i]
			_, w := utf8.DecodeRuneInString(body[i:])
			if body[i] == '\r' && i+1 < len(body) && body[i+1] == '\n' {
				w = 2
			}
			body = body[i+w:]
		}
		no++
		if strings.Contains(l, "??") {
			l = lostChars.ReplaceAllString(l, " ")
		}
		t := strings.TrimFunc(l, unicode.IsSpace)
		if t == "" {
			blank = true
			continue
		}
		out = append(out, line{text: t, no: no, blankBefore: blank || len(out) == 0})
		blank = false
	}
	return out
}

const (
	openers = zhtext.OpeningBrackets
	closers = zhtext.ClosingBrackets + zhtext.Punctuation
)

// joinBroken joins lines that a conversion split in the middle: a line that
// ends with an opening bracket or is a bare numbering ("（", "一、") takes the
// next line, and a line starting with a closing bracket or a comma goes with
// the previous one.
func joinBroken(ls []line) []line {
	var out []line
	for _, l := range ls {
		if n := len(out); n > 0 {
			prev := &out[n-1]
			last, _ := utf8.DecodeLastRuneInString(prev.text)
			first, _ := utf8.DecodeRuneInString(l.text)
			if strings.ContainsRune(openers, last) || strings.ContainsRune(closers, first) || isBareMarker(prev.text) {
				prev.text += l.text
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// open is a heading on the current path.
type open struct {
	h    Heading
	kind markerKind
	num  int
}

// headingShape says how a numbered line can be a heading.
type headingShape int

const (
	shapeNone       headingShape = iota // too long: an enumerated paragraph
	shapeStandalone                     // the whole line is the heading
	shapeInline                         // the first sentence is the heading
)

// shapeOf decides whether a numbered line t can be a heading, and returns
// the heading text: the whole line when it is short and has no sentence
// end, else the part before a colon that comes before the first sentence
// end (glossary entries: "4.“厅局长坐诊接诉”：省级部门…"), else the first
// sentence.
func shapeOf(t string, m marker) (headingShape, string) {
	e := firstSentenceEnd(t)
	if e < 0 && utf8.RuneCountInString(t) <= maxStandaloneHeading {
		return shapeStandalone, t
	}
	if m.standaloneOnly {
		return shapeNone, ""
	}
	if c := strings.IndexAny(t, zhtext.Colons); c > len(m.text) && (e < 0 || c < e) {
		if head := t[:c]; utf8.RuneCountInString(head) <= maxInlineHeading {
			return shapeInline, head
		}
	}
	if e >= len(m.text) {
		if head := t[:e]; head != m.text && utf8.RuneCountInString(head) <= maxInlineHeading {
			return shapeInline, head
		}
	}
	return shapeNone, ""
}

var (
	appendixWords = []string{"附件", "附录", "附表"}
	closingWords  = []string{"结束语", "结语", "名词解释", "名词注释", "注释"}
)

// unmarkedKind classifies a short unnumbered line that may be a heading:
// kindAppendix for 附件…, kindUnmarked for 结束语/名词解释…, or kindNone.
// Other candidates are decided by the caller from the numbering that follows.
func unmarkedCandidate(t string) (markerKind, bool) {
	if utf8.RuneCountInString(t) > maxUnmarkedHeading || strings.ContainsAny(t, zhtext.Punctuation) {
		return kindNone, false
	}
	r, _ := utf8.DecodeRuneInString(t)
	if strings.ContainsRune(zhtext.Dashes+"（(", r) {
		return kindNone, false
	}
	hasHan := false
	for _, r := range t {
		if unicode.Is(unicode.Han, r) {
			hasHan = true
			break
		}
	}
	if !hasHan {
		return kindNone, false
	}
	if _, rest, ok := parseDatePrefix(normalizeDigits(t)); ok && rest == "" {
		return kindNone, false // the date under a signature
	}
	for _, w := range appendixWords {
		if strings.HasPrefix(t, w) {
			return kindAppendix, true
		}
	}
	for _, w := range closingWords {
		if strings.Contains(t, w) {
			return kindUnmarked, true
		}
	}
	return kindNone, true
}

// parseBody fills r.Header, r.Headings and r.Paragraphs (without IDs) from
// body and returns the metadata the text states.
func parseBody(r *Report, body string, skipped int) textMeta {
	var tm textMeta
	lines := joinBroken(splitLines(body, skipped))
	nh, chrome := parseHeader(lines, &tm)
	for i, l := range lines[:nh] {
		if chrome[i] {
			r.Chrome = append(r.Chrome, l.text)
		} else {
			r.Header = append(r.Header, l.text)
		}
	}
	lines, tail := cutTailChrome(lines[nh:])
	for _, l := range tail {
		r.Chrome = append(r.Chrome, l.text)
	}

	// The outermost numbering the report uses, and for each line the number
	// of the next heading with that numbering: an unnumbered short line is a
	// heading when the numbering restarts at one after it ("2024年工作回顾"
	// followed by "（一）…", while a stray fragment inside "二、" is followed
	// by "三、").
	markers := make([]marker, len(lines))
	shapes := make([]headingShape, len(lines))
	top := kindNone
	for i, l := range lines {
		if m, ok := parseMarker(l.text); ok {
			markers[i] = m
			shapes[i], _ = shapeOf(l.text, m)
			if shapes[i] != shapeNone && (top == kindNone || m.kind < top) {
				top = m.kind
			}
		}
	}
	nextTop := make([]int, len(lines))
	next := -1
	for i := len(lines) - 1; i >= 0; i-- {
		nextTop[i] = next
		if shapes[i] != shapeNone && markers[i].kind == top {
			next = markers[i].num
		}
	}

	var stack []open
	push := func(h Heading, kind markerKind, num int) {
		for len(stack) > 0 && stack[len(stack)-1].kind >= kind {
			stack = stack[:len(stack)-1]
		}
		h.Level = len(stack) + 1
		stack = append(stack, open{h: h, kind: kind, num: num})
		r.Headings = append(r.Headings, h)
	}
	// continues reports whether a heading numbered m continues the numbering
	// open on the path (allowing a skipped number or two, as in glossaries
	// with a missing entry) or starts a new one.
	continues := func(m marker, shape headingShape) bool {
		for j := len(stack) - 1; j >= 0; j-- {
			if stack[j].kind == m.kind {
				return m.num > stack[j].num && m.num <= stack[j].num+3
			}
		}
		return m.num == 1 || shape == shapeStandalone
	}
	paragraph := func(l line) {
		p := Paragraph{Text: l.text, Line: l.no}
		if len(stack) > 0 {
			p.Path = make([]Heading, len(stack))
			for i, o := range stack {
				p.Path[i] = o.h
			}
		}
		r.Paragraphs = append(r.Paragraphs, p)
	}

	for i, l := range lines {
		if m := markers[i]; m.kind != kindNone && shapes[i] == shapeNone {
			// A list item too long to be a heading still ends its open
			// sibling: "5.…" must not sit under the heading "4.…".
			for j := len(stack) - 1; j >= 0; j-- {
				if stack[j].kind == m.kind {
					if m.num > stack[j].num && m.num <= stack[j].num+3 {
						stack = stack[:j]
					}
					break
				}
			}
		}
		if shapes[i] != shapeNone && continues(markers[i], shapes[i]) {
			m := markers[i]
			shape, head := shapeOf(l.text, m)
			h := Heading{Marker: m.text, Text: head, Line: l.no, Inline: shape == shapeInline}
			push(h, m.kind, m.num)
			if shape == shapeInline {
				paragraph(l)
			}
			continue
		}
		if shapes[i] == shapeNone && markers[i].kind == kindNone {
			if kind, ok := unmarkedCandidate(l.text); ok {
				if kind == kindNone && (nextTop[i] == 1 || top == kindNone) {
					kind = kindUnmarked
				}
				if kind != kindNone {
					push(Heading{Text: l.text, Line: l.no}, kind, 0)
					continue
				}
			}
		}
		paragraph(l)
	}
	return tm
}

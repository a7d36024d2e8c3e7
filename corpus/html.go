package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// Errors returned by ExtractHTML, wrapped with detail.
var (
	// ErrTruncated means the page ends before its closing </body> or </html>
	// tag: a cut download, not a page to index.
	ErrTruncated = errors.New("HTML page is truncated")
	// ErrNoArticle means no element of the page holds enough running text to
	// be a report body.
	ErrNoArticle = errors.New("no article body found in HTML page")
)

// htmlMinArticleRunes is the least body text, in characters, that ExtractHTML
// accepts as an article; a listing page or an error page has less running
// text outside links.
const htmlMinArticleRunes = 200

// HTMLPage is what ExtractHTML found in a web page.
type HTMLPage struct {
	// Text is the article as plain text: the title, a blank line, then the
	// body htmlParagraphs separated by blank lines, as report .txt files are.
	Text string
	// Meta holds the title and the disclosure metadata (索引号, 主题分类,
	// 发文日期, 发布机构, 文号) found in the page; empty fields were not found.
	Meta Meta
	// Charset is the encoding the page was decoded from ("utf-8", "gb18030",
	// "utf-16le", "utf-16be").
	Charset string
}

// ExtractHTML decodes a web page as government sites publish it and extracts
// the article body and the disclosure metadata.
//
// The declared charset comes from contentType (the HTTP Content-Type header;
// may be empty), then the page's <meta charset> or http-equiv tag, as
// charset.DetermineEncoding reads them; Decode checks it against the bytes,
// which win when the declaration is wrong. The
// body is the content container of a known government CMS (div#zoom,
// .TRS_Editor, #UCAP-CONTENT, .pages_content, .article-content …) when the
// page has one with enough text, otherwise the element with the most running
// text outside links; navigation, headers, footers, scripts and share bars
// are dropped either way. Paragraph breaks come from <p>, <br>, <div> and
// other block elements.
func ExtractHTML(page []byte, contentType string) (*HTMLPage, error) {
	if !htmlLooksComplete(page) {
		return nil, fmt.Errorf("extract HTML: no closing </body> or </html> tag: %w", ErrTruncated)
	}
	// The declaration only names the charset in Decode's errors: see Decode.
	_, declared, _ := charset.DetermineEncoding(page, contentType)
	text, enc, err := Decode(page, declared)
	if err != nil {
		return nil, fmt.Errorf("extract HTML: %w", err)
	}
	if strings.HasSuffix(strings.TrimRight(text, " \t\r\n"), "\uFFFD") {
		// A multi-byte character cut in half at the very end.
		return nil, fmt.Errorf("extract HTML: page ends in a broken character: %w", ErrTruncated)
	}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("extract HTML: parse: %w", err)
	}
	p := &HTMLPage{Charset: enc}
	heading := htmlArticleTitle(doc)
	for _, t := range htmlFindDisclosureTables(doc) {
		p.Meta = t.meta.Override(p.Meta)
		t.node.Parent.RemoveChild(t.node)
	}
	// The disclosure table's 名称 wins, then the CMS's ArticleTitle meta tag,
	// then the page heading.
	p.Meta = htmlPageMeta(doc).Override(p.Meta)
	if p.Meta.Title == "" {
		p.Meta.Title = heading
	}
	title := p.Meta.Title
	htmlRemoveChrome(doc)
	body := htmlArticleNode(doc)
	if body == nil {
		return nil, fmt.Errorf("extract HTML: %w", ErrNoArticle)
	}
	paras := htmlParagraphs(body)
	// The container often repeats the title as its heading.
	for len(paras) > 0 && title != "" && (paras[0] == title || strings.ReplaceAll(paras[0], " ", "") == strings.ReplaceAll(title, " ", "")) {
		paras = paras[1:]
	}
	n := 0
	for _, para := range paras {
		n += utf8.RuneCountInString(para)
	}
	if n < htmlMinArticleRunes {
		return nil, fmt.Errorf("extract HTML: %d characters of body text (need %d): %w", n, htmlMinArticleRunes, ErrNoArticle)
	}
	var b strings.Builder
	if title != "" {
		b.WriteString(title)
		b.WriteString("\n\n")
	}
	b.WriteString(strings.Join(paras, "\n\n"))
	b.WriteString("\n")
	p.Text = b.String()
	return p, nil
}

// htmlLooksComplete reports whether the page has a closing </body> or </html>
// tag. Government CMS pages always end with both, so a page with neither
// was cut in transfer.
func htmlLooksComplete(page []byte) bool {
	tail := page
	if len(tail) > 64<<10 {
		tail = tail[len(tail)-64<<10:]
	}
	tail = bytes.ToLower(tail)
	return bytes.Contains(tail, []byte("</html")) || bytes.Contains(tail, []byte("</body"))
}

// htmlMetaFields maps disclosure labels to the Meta field they fill. Labels are
// compared after removing spaces and a trailing colon.
var htmlMetaFields = map[string]string{
	"索引号":  "index",
	"主题分类": "topic",
	"分类":   "topic",
	"发文日期": "date",
	"发布日期": "date",
	"公开日期": "date",
	"成文日期": "written",
	"发布机构": "issuer",
	"发文机关": "issuer",
	"发文机构": "issuer",
	"发布单位": "issuer",
	"发文单位": "issuer",
	"文号":   "docnum",
	"发文字号": "docnum",
	"标题":   "title",
	"名称":   "title",
}

// htmlLabelOf returns the metadata field a cell's text labels, or "".
func htmlLabelOf(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	s = strings.TrimRight(s, ":：")
	return htmlMetaFields[s]
}

// htmlSplitLabel splits "索引号：000014349/2025-00001" into field and value.
func htmlSplitLabel(s string) (field, value string, ok bool) {
	i := strings.IndexAny(s, ":：")
	if i <= 0 || i > 24 {
		return "", "", false
	}
	field = htmlLabelOf(s[:i])
	if field == "" {
		return "", "", false
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return field, htmlCleanSpace(s[i+w:]), true
}

type htmlDisclosureTable struct {
	node *html.Node
	meta Meta
}

// htmlFindDisclosureTables finds the disclosure metadata blocks: tables (or
// lists and divs, as some CMSs lay them out) with at least two labelled
// fields. It returns the outermost block for each.
func htmlFindDisclosureTables(doc *html.Node) []htmlDisclosureTable {
	var out []htmlDisclosureTable
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Table, atom.Ul, atom.Dl, atom.Div:
				if m, fields := htmlBlockMeta(n); fields >= 2 && !htmlHasLongText(n) {
					out = append(out, htmlDisclosureTable{n, m})
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// htmlHasLongText reports whether n holds running text (a paragraph of more than
// 150 characters), which a metadata block never does: it keeps a body
// container that happens to include the table from being taken for it.
func htmlHasLongText(n *html.Node) bool {
	for _, p := range htmlParagraphs(n) {
		if utf8.RuneCountInString(p) > 150 {
			return true
		}
	}
	return false
}

// htmlBlockMeta reads label/value pairs from a block. It works on the block's
// text nodes, each tagged with its cell (the nearest td, th, li, dd, dt or
// p), which covers the layouts CMSs use: <td>索引号</td><td>value</td>,
// <td><b>索引号：</b>value</td>, <li><span>索引号：</span>value</li>,
// <span>发布机构：湖北省人民政府</span>. A label's value is the rest of its
// text after the colon, then the following text in the same cell, or, if
// the label is alone in its cell, the text of the next cell.
func htmlBlockMeta(n *html.Node) (Meta, int) {
	type token struct {
		text string
		cell *html.Node
	}
	var toks []token
	var walk func(n, cell *html.Node)
	walk = func(n, cell *html.Node) {
		switch n.Type {
		case html.TextNode:
			if t := htmlCleanSpace(n.Data); t != "" {
				toks = append(toks, token{t, cell})
			}
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style:
				return
			case atom.Td, atom.Th, atom.Li, atom.Dd, atom.Dt, atom.P:
				cell = n
				if htmlCleanSpace(htmlTextOf(n)) == "" {
					// An empty value cell still separates a label from
					// the next label's cell.
					toks = append(toks, token{"", cell})
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, cell)
		}
	}
	walk(n, n)
	isLabel := func(t string) bool {
		if htmlLabelOf(t) != "" {
			return true
		}
		if r := []rune(t); len(r) > 1 && len(r) <= 8 && (r[len(r)-1] == '：' || r[len(r)-1] == ':') {
			return true // a label govbot does not use, such as 有效性：
		}
		_, _, ok := htmlSplitLabel(t)
		return ok
	}
	vals := map[string]string{}
	for i := 0; i < len(toks); i++ {
		field, value := htmlLabelOf(toks[i].text), ""
		if field == "" {
			var ok bool
			if field, value, ok = htmlSplitLabel(toks[i].text); !ok {
				continue
			}
		}
		cell := toks[i].cell
		j := i + 1
		if value == "" && j < len(toks) && toks[j].cell != cell && !isLabel(toks[j].text) {
			cell = toks[j].cell // the label is alone in its cell: take the next one
		}
		if value == "" && j < len(toks) && toks[j].cell != toks[i].cell && toks[j].text == "" {
			j++ // an empty value cell
		}
		for ; j < len(toks) && toks[j].cell == cell && !isLabel(toks[j].text); j++ {
			value += toks[j].text
		}
		i = j - 1
		if _, dup := vals[field]; !dup {
			vals[field] = strings.TrimSpace(value)
		}
	}
	var m Meta
	m.IndexNumber = vals["index"]
	m.Topic = vals["topic"]
	m.Issuer = vals["issuer"]
	m.DocNumber = vals["docnum"]
	m.Title = vals["title"]
	if t, ok := htmlParseDate(vals["date"]); ok {
		m.Published = t
	} else if t, ok := htmlParseDate(vals["written"]); ok {
		m.Published = t
	}
	if !m.Published.IsZero() {
		m.Year = m.Published.Year()
	}
	return m, len(vals)
}

var htmlDateRE = regexp.MustCompile(`(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})`)

// htmlParseDate reads 2025年01月20日, 2025-01-20 10:00:00, 2025/1/20 and
// 2025.01.20, as a date at midnight UTC (the time of day is dropped: a
// report is dated by the day).
func htmlParseDate(s string) (time.Time, bool) {
	m := htmlDateRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	if y < 1949 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), true
}

// htmlPageMeta reads the <meta name="…"> tags that TRS and other government CMSs
// put in the head: ArticleTitle, PubDate, ContentSource.
func htmlPageMeta(doc *html.Node) Meta {
	var m Meta
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Meta {
			content := htmlCleanSpace(htmlAttr(n, "content"))
			switch strings.ToLower(htmlAttr(n, "name")) {
			case "articletitle":
				m.Title = content
			case "pubdate", "firstpublishedtime":
				if t, ok := htmlParseDate(content); ok {
					m.Published, m.Year = t, t.Year()
				}
			case "contentsource":
				m.Issuer = content
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return m
}

// htmlArticleTitle finds the article's title: the first <h1> (or an element of
// class title) with text, else <title> without the site name suffix.
func htmlArticleTitle(doc *html.Node) string {
	var h1, classed, title string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.DataAtom == atom.Title && title == "":
				title = htmlCleanSpace(htmlTextOf(n))
			case n.DataAtom == atom.H1 && h1 == "":
				h1 = htmlCleanSpace(htmlTextOf(n))
			case classed == "" && htmlHasClassLike(n, "article-title", "title", "bt", "tit"):
				if t := htmlCleanSpace(htmlTextOf(n)); utf8.RuneCountInString(t) >= 6 && utf8.RuneCountInString(t) <= 80 {
					classed = t
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	switch {
	case h1 != "" && utf8.RuneCountInString(h1) >= 4:
		return h1
	case classed != "":
		return classed
	}
	// "2025年政府工作报告_湖北省人民政府门户网站" → the part before the site name.
	for _, sep := range []string{"_", " - ", "-", "|", "——"} {
		if i := strings.Index(title, sep); i > 0 {
			return strings.TrimSpace(title[:i])
		}
	}
	return title
}

// htmlChromeTags are never part of an article.
var htmlChromeTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Iframe: true, atom.Select: true, atom.Button: true, atom.Input: true,
	atom.Textarea: true, atom.Object: true, atom.Embed: true, atom.Svg: true,
	atom.Head: true, atom.Img: true, atom.Video: true, atom.Audio: true,
}

// htmlChromeWords mark ids and classes of site chrome: menus, breadcrumbs, share
// bars, print/close links, related links, footers.
var htmlChromeWords = []string{
	"nav", "menu", "header", "footer", "foot", "breadcrumb", "crumb", "position",
	"location", "share", "bdshare", "fenxiang", "print", "toolbar", "sidebar",
	"related", "xgwj", "xglj", "gotop", "copyright", "banner", "search", "login",
	"qrcode", "ewm", "comment", "hidden", "pagination", "page-nav", "friend-link",
}

// htmlChromeText are short texts that end up in the body of a page when a CMS
// inlines its toolbar: they are dropped as htmlParagraphs.
var htmlChromeText = regexp.MustCompile(`^(【?\s*(打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到|字体|大|中|小|扫一扫在手机打开当前页)\s*】?\s*)+$|^分享到[:：]|^【字体[:：]|^(上一篇|下一篇)[:：]`)

// htmlRemoveChrome removes chrome elements from the tree.
func htmlRemoveChrome(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.CommentNode:
			n.RemoveChild(c)
		case c.Type == html.ElementNode && (htmlChromeTags[c.DataAtom] || htmlIsChrome(c)):
			n.RemoveChild(c)
		default:
			htmlRemoveChrome(c)
		}
		c = next
	}
}

// htmlIsChrome reports whether an element's id or class names chrome, or it is
// hidden with an inline style.
func htmlIsChrome(n *html.Node) bool {
	if st := strings.ReplaceAll(strings.ToLower(htmlAttr(n, "style")), " ", ""); strings.Contains(st, "display:none") {
		return true
	}
	for _, tok := range htmlIdClassTokens(n) {
		for _, w := range htmlChromeWords {
			if tok == w || strings.HasPrefix(tok, w+"-") || strings.HasPrefix(tok, w+"_") || strings.HasSuffix(tok, "-"+w) || strings.HasSuffix(tok, "_"+w) || strings.HasSuffix(tok, w) && len(w) >= 5 {
				return true
			}
		}
	}
	return false
}

func htmlIdClassTokens(n *html.Node) []string {
	toks := strings.Fields(strings.ToLower(htmlAttr(n, "class")))
	if id := strings.ToLower(htmlAttr(n, "id")); id != "" {
		toks = append(toks, id)
	}
	return toks
}

// htmlContentContainers are the ids and classes government CMSs give the article
// body, most specific first.
var htmlContentContainers = []string{
	"trs_editor", "ucap-content", "zoom", "pages_content", "article-content",
	"article_content", "articlecontent", "news_content", "newscontent", "art_con",
	"art-con", "content_text", "contenttext", "con_text", "detail-content",
	"view", "article", "content", "main-content",
}

func htmlHasClassLike(n *html.Node, names ...string) bool {
	for _, tok := range htmlIdClassTokens(n) {
		for _, name := range names {
			if tok == name {
				return true
			}
		}
	}
	return false
}

// htmlArticleNode picks the article body: the deepest known CMS container that
// holds most of the largest one's text, else the densest block.
//
// It is not a readability port because the maintained one
// (codeberg.org/readeck/go-readability/v2 v2.1.3, tried December 2026 on
// testdata/html after the disclosure tables were taken out) gets government
// pages wrong: on hubei-xxgk-utf8.html it takes a block around div#zoom
// that includes div.info and keeps the posting line "来源：湖北日报发布时间：2025-01-23
// 09:30【字体：大中小】" as the first paragraph (also when htmlRemoveChrome
// runs first), and it returns listing.html's navigation and link list (492
// characters) as an article where this finds none. It agreed on the other
// three pages, once its output was rendered and parsed again (the <p>
// elements it makes have no DataAtom).
func htmlArticleNode(doc *html.Node) *html.Node {
	var best *html.Node
	bestLen := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom != atom.Body && htmlHasClassLike(n, htmlContentContainers...) {
			if l := htmlRunningText(n); l >= htmlMinArticleRunes && (best == nil || l*10 >= bestLen*8 && htmlIsAncestor(best, n) || l > bestLen && !htmlIsAncestor(n, best)) {
				best, bestLen = n, max(l, bestLen)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if best != nil {
		return best
	}
	return htmlDensestBlock(doc)
}

func htmlIsAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// htmlRunningText counts the characters of text outside links in n.
func htmlRunningText(n *html.Node) int {
	t, l := htmlTextCounts(n)
	return t - l
}

// htmlTextCounts returns n's text length and the part of it inside links, in
// characters, ignoring whitespace.
func htmlTextCounts(n *html.Node) (text, link int) {
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		switch n.Type {
		case html.TextNode:
			c := 0
			for _, r := range n.Data {
				if !unicode.IsSpace(r) && r != '\u3000' && r != '\u00a0' {
					c++
				}
			}
			text += c
			if inLink {
				link += c
			}
		case html.ElementNode:
			inLink = inLink || n.DataAtom == atom.A
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	return text, link
}

// htmlDensestBlock finds the block element whose text outside links, penalised
// by link text (menus, lists of related links), is largest, then descends
// into a child that holds nearly all of it, so that wrappers around the
// article are not taken along with their chrome.
func htmlDensestBlock(doc *html.Node) *html.Node {
	var best *html.Node
	bestScore := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Div, atom.Td, atom.Article, atom.Section, atom.Main, atom.Body:
				t, l := htmlTextCounts(n)
				if score := t - 3*l; score > bestScore {
					best, bestScore = n, score
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if best == nil {
		return nil
	}
	for {
		total := htmlRunningText(best)
		var next *html.Node
		for c := best.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && htmlRunningText(c)*100 >= total*90 {
				next = c
				break
			}
		}
		if next == nil {
			return best
		}
		best = next
	}
}

// htmlBlockTags break htmlParagraphs.
var htmlBlockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Tr: true, atom.Table: true, atom.Section: true, atom.Article: true, atom.Blockquote: true,
	atom.Pre: true, atom.Center: true, atom.Dd: true, atom.Dt: true, atom.Dl: true, atom.Hr: true,
	atom.Tbody: true, atom.Main: true,
}

// htmlParagraphs renders n as text htmlParagraphs: block elements break, inline
// text runs on, whitespace collapses, and the full-width indentation
// (\u3000\u3000) of Chinese htmlParagraphs is trimmed. Toolbar texts are dropped.
func htmlParagraphs(n *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if p := htmlCleanSpace(cur.String()); p != "" && !htmlChromeText.MatchString(p) {
			out = append(out, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			return
		case html.ElementNode:
			if htmlChromeTags[n.DataAtom] {
				return
			}
			if htmlBlockTags[n.DataAtom] {
				flush()
				defer flush()
			} else if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
				cur.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	flush()
	return out
}

// htmlCleanSpace collapses runs of white space (ASCII, no-break and full-width
// spaces) to one ASCII space, drops it entirely between two CJK characters
// (where a line break in the HTML source is not a space), and trims.
func htmlCleanSpace(s string) string {
	var b strings.Builder
	pendingSpace := false
	var last rune
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\u200b' {
			pendingSpace = true
			continue
		}
		if pendingSpace && b.Len() > 0 && !(htmlIsWide(last) || htmlIsWide(r)) {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// htmlIsWide reports whether r is a CJK character or full-width punctuation,
// around which Chinese text has no spaces.
func htmlIsWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func htmlTextOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func htmlAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

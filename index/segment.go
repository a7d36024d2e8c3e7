package index

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/go-ego/gse"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index/zhdict"
	"github.com/govbot/govbot/internal/zhtext"
)

// domainDict lists policy terms the zh_s dictionary lacks or cuts wrongly.
//
//go:embed dict/domain.txt
var domainDict string

// stopList lists function and question words dropped from the analysis.
//
//go:embed dict/stop.txt
var stopList string

var (
	segOnce sync.Once
	seg     *gse.Segmenter
	// segTables holds lookup tables of seg's dictionary for cut.
	segTables atomic.Pointer[dictTables]
)

// segmenter returns the process-wide gse segmenter: the embedded simplified
// Chinese dictionary (zh_s, loaded from zhdict's snapshot) plus govbot's
// domain word list. It is loaded on first use, once per process (tens of
// milliseconds), and shared; gse segmenters are safe for concurrent cutting
// once loaded. Its dictionary must not be changed (AddToken, ReAddToken)
// afterwards: cut reads tables made from it when it is loaded (see
// dictTables). Only gse's DAG modes are right over the snapshot dictionary
// (see package zhdict): Cut(text, true) and Find, not Slice, Segment or
// Cut(text, false). It is not exported for that reason; Words and Lookup
// are what other packages use.
func segmenter() *gse.Segmenter {
	segOnce.Do(func() {
		s, err := loadSegmenter()
		if err != nil {
			// The inputs are embedded, so this only happens when the build
			// itself is broken.
			panic(err)
		}
		seg = s
		t := &dictTables{d: s.Dict, logs: make([]float64, len(s.Dict.Tokens)), firsts: make([]atomic.Uint64, firstHi-firstLo+1)}
		for i := range s.Dict.Tokens {
			t.logs[i] = math.Log(s.Dict.Tokens[i].Freq())
		}
		segTables.Store(t)
	})
	return seg
}

// LoadDictionary loads the dictionary that Words, Lookup and the analyzer
// use now, rather than on their first use.
func LoadDictionary() { segmenter() }

// Words cuts text into words with govbot's dictionary (zh_s plus the domain
// words) and gse's HMM for words the dictionary lacks: gse's Cut(text,
// true). Every rune of text is in one word, punctuation and spaces
// included, and nothing is folded: the words are pieces of text, in order.
// Cut, not Words, gives the terms the index holds.
func Words(text string) []string { return segmenter().Cut(text, true) }

// Lookup looks word up in the dictionary Words uses: its frequency and part
// of speech (gse's tags: "ns" a place name, "v" a verb, ...). known reports
// whether the dictionary holds word as a word or as the beginning of longer
// words; in the second case freq is 0 and pos "".
func Lookup(word string) (freq float64, pos string, known bool) {
	return segmenter().Find(word)
}

// stopWords returns the stop word set; it needs no dictionary.
var stopWords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool)
	for _, line := range strings.Split(stopList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m[line] = true
	}
	return m
})

func loadSegmenter() (*gse.Segmenter, error) {
	s := new(gse.Segmenter)
	// SkipLog silences gse's "dict loaded" chatter on stdout.
	s.SkipLog = true
	if err := zhdict.Load(s); err != nil {
		return nil, fmt.Errorf("index: load gse zh_s dictionary: %w", err)
	}
	if err := addDomainWords(s); err != nil {
		return nil, err
	}
	return s, nil
}

// addDomainWords adds govbot's domain word list (dict/domain.txt:
// "word [freq [pos]]" lines, # comments) to s.
func addDomainWords(s *gse.Segmenter) error {
	sc := bufio.NewScanner(strings.NewReader(domainDict))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		freq := 20000.0
		pos := "n"
		if len(f) > 1 {
			v, err := strconv.ParseFloat(f[1], 64)
			if err != nil {
				return fmt.Errorf("index: dict/domain.txt line %d: %w", n, err)
			}
			freq = v
		}
		if len(f) > 2 {
			pos = f[2]
		}
		word := foldString(f[0])
		// AddToken ignores words already present, and Cut weighs words by
		// frequency, so a known word with a lower frequency is re-added to
		// make the domain entry win.
		if old, _, ok := s.Find(word); ok && old > 0 {
			if old >= freq {
				continue
			}
			if err := s.ReAddToken(word, freq, pos); err != nil {
				return fmt.Errorf("index: add domain word %q: %w", word, err)
			}
			continue
		}
		if err := s.AddToken(word, freq, pos); err != nil {
			return fmt.Errorf("index: add domain word %q: %w", word, err)
		}
	}
	return nil
}

// token is one analysed term with its byte span in the original text.
type token struct {
	term       string
	start, end int // byte offsets in the original (unfolded) text
	pos        int // 1-based word position; sub-words share their word's
	sub        bool
	num        bool
	han        bool
}

// fold maps one rune to its search form: full-width ASCII to half-width,
// the ideographic space to a space, ASCII upper case to lower case, and a
// traditional Chinese character to its simplified form (corpus.FoldHanRune:
// 鋼 → 钢), so that a question in either script finds a text in the other.
// A folded rune is never longer in UTF-8 than the rune.
func fold(r rune) rune {
	r = zhtext.FoldWidth(r)
	if r >= 0x3400 {
		return corpus.FoldHanRune(r)
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

// foldString applies fold to every rune of s.
func foldString(s string) string { return strings.Map(fold, s) }

// runeClass tells how the tokenizer treats a (folded) rune.
type runeClass uint8

const (
	classSep   runeClass = iota // space, punctuation, symbols: dropped
	classHan                    // ideographs: cut by gse
	classASCII                  // ASCII letters and digits: one token per run
	classOther                  // other letters and numbers (Ⅱ, α): one token per run
)

func classify(r rune) runeClass {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return classASCII
		}
		return classSep
	case r >= 0x4E00 && r <= 0x9FFF:
		// CJK Unified Ideographs, all Han: most runes of a report, so
		// they skip unicode.Is's table search.
		return classHan
	case r == '〇' || unicode.Is(unicode.Han, r):
		return classHan
	case unicode.IsLetter(r) || unicode.IsNumber(r):
		return classOther
	}
	return classSep
}

// analyze splits text into index terms. Han runs are cut by gse (dictionary
// plus HMM) into words; every dictionary word of two or more characters
// inside a longer word is emitted as well, at the same position, so that a
// question naming a part (法律顾问) finds the whole (一村一法律顾问) and
// phrase queries still line up. ASCII runs become one lower-cased term each,
// numbers keep their decimal point and lose thousands separators
// ("3,000" → "3000"). Stop words, punctuation and symbols are dropped and take
// no position.
func analyze(text string, emit func(token)) {
	s := segmenter()
	stop := stopWords()
	sc := scratchPool.Get().(*cutScratch)
	defer scratchPool.Put(sc)
	// The runs are collected, folded, in one buffer the size of the text
	// (folding never lengthens a rune), and the terms are strings over it:
	// one allocation per text instead of one per run, and the buffer is
	// never written again once a run is taken from it.
	folded := make([]byte, 0, len(text))
	pos := 0
	i := 0
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		c := classify(fold(r))
		if c == classSep {
			i += w
			continue
		}
		// Collect the run of the same class, in folded form, keeping the
		// original byte offset of every folded rune.
		start := i
		from := len(folded)
		offs := sc.offs[:0]
		for i < len(text) {
			r, w := utf8.DecodeRuneInString(text[i:])
			f := fold(r)
			fc := classify(f)
			if fc != c {
				if c == classASCII && isNumberJoint(text, i, f) {
					// "5.2" and "3,000": keep a number whole.
					if f == '.' {
						offs = append(offs, i)
						folded = append(folded, '.')
					}
					i += w
					continue
				}
				break
			}
			offs = append(offs, i)
			folded = utf8.AppendRune(folded, f)
			i += w
		}
		offs = append(offs, i)
		sc.offs = offs
		run := unsafe.String(unsafe.SliceData(folded[from:]), len(folded)-from)
		if c != classHan {
			if stop[run] {
				continue
			}
			pos++
			emit(token{term: run, start: start, end: i, pos: pos, num: isDigits(run)})
			continue
		}
		// offs holds one entry per rune of the run (plus the end).
		for _, w := range sc.cut(s, run) {
			ws, we := offs[w.start], offs[w.end]
			if stop[w.text] {
				continue
			}
			pos++
			emit(token{term: w.text, start: ws, end: we, pos: pos, han: true})
			for _, sw := range w.subs {
				if stop[sw.text] {
					continue
				}
				emit(token{term: sw.text, start: offs[sw.start], end: offs[sw.end], pos: pos, sub: true, han: true})
			}
		}
	}
}

// hanWord is a word cut from a Han run; start and end are rune indexes in
// the run, subs the dictionary words of two or more runes inside it.
type hanWord struct {
	text       string
	start, end int
	subs       []hanWord
}

// cutScratch is the working memory of analyze and cut, pooled: the analysis
// of a paragraph cuts many runs and would otherwise allocate these each time.
type cutScratch struct {
	offs   []int     // analyze: byte offset in the text of each rune of a run
	bo     []int     // byte offset of each rune of the run, and the run's length
	routes []route   // see cut
	span   []int32   // words starting at rune k: ends[span[2k]:span[2k+1]]
	ends   []int32   // ends (rune index) of the dictionary words, grouped by start
	logfs  []float64 // their log frequencies
	words  []hanWord // cut's result
	subs   []hanWord // the words' sub-words, which the words' subs slice
	lens   []int     // word lengths from the HMM
	hmm    hmmScratch
}

// route is the most probable cut of a run's suffix: its log probability and
// the end of its first word.
type route struct {
	score float64
	end   int
}

var scratchPool = sync.Pool{New: func() any { return new(cutScratch) }}

// cutHan cuts a run of Han characters exactly as gse's Cut(run, true) does
// (jieba's algorithm: the most probable path through the dictionary word
// graph, runs of single characters off that path re-cut by the HMM), and
// also returns, for every word of three or more characters, the dictionary
// words inside it. See cutScratch.cut, which analyze calls.
func cutHan(s *gse.Segmenter, run string) []hanWord {
	return new(cutScratch).cut(s, run)
}

// cut is cutHan with sc's memory: the words it returns, and their subs, are
// valid until sc's next use.
//
// It walks the dictionary trie once per start character, byte by byte from
// the node reached so far, and records the lengths of the words it passes;
// gse looks every prefix up from the root instead (quadratic in the word
// length), and reading a length back from a matched token is wrong on the
// snapshot dictionary, whose tokens are shared among words.
// TestCutHanMatchesGse checks the words against gse on every shared report.
func (sc *cutScratch) cut(s *gse.Segmenter, run string) []hanWord {
	bo := sc.bo[:0]
	for i := 0; i < len(run); {
		bo = append(bo, i)
		// run is valid UTF-8 (analyze wrote it), so its lead bytes give
		// the runes' lengths.
		switch b := run[i]; {
		case b < 0xE0:
			i += 1 + int(b>>7)
		case b < 0xF0:
			i += 3
		default:
			i += 4
		}
	}
	n := len(bo)
	bo = append(bo, len(run))
	sc.bo = bo

	// routes[k] is the most probable cut of runes k..n, computed right to
	// left so that the words starting at k are scored in one trie walk.
	routes := grow(sc.routes, n+1)
	span := grow(sc.span, 2*n)
	ends, logfs := sc.ends[:0], sc.logfs[:0]
	routes[n] = route{}
	logT := math.Log(s.Dict.TotalFreq())
	walk := newTrieWalker(s.Dict, run)
	for k := n - 1; k >= 0; k-- {
		lo := len(ends)
		var known bool
		ends, logfs, known = walk.words(bo, k, ends, logfs)
		span[2*k], span[2*k+1] = int32(lo), int32(len(ends))
		best := route{score: math.Inf(-1), end: k + 1}
		if lo == len(ends) {
			// No word starts here: gse takes the character alone, at
			// frequency 1 if the dictionary lacks it, 0 (log: -Inf) if it
			// only begins longer words.
			f := 1.0
			if known {
				f = 0
			}
			best.score = math.Log(f) - logT + routes[k+1].score
		}
		for i := lo; i < len(ends); i++ {
			end := int(ends[i])
			// gse keeps the longer word on a tie.
			if score := logfs[i] - logT + routes[end].score; score > best.score || score == best.score && end > best.end {
				best = route{score: score, end: end}
			}
		}
		routes[k] = best
	}
	sc.routes, sc.span, sc.ends, sc.logfs = routes, span, ends, logfs

	out, subs := sc.words[:0], sc.subs[:0]
	add := func(start, end int) {
		w := hanWord{text: run[bo[start]:bo[end]], start: start, end: end}
		if end-start >= 3 {
			// The dictionary words inside, by start then length: the trie
			// walks above already listed them. subs only grows, so the
			// slices of it taken before stay valid.
			from := len(subs)
			for k := start; k < end-1; k++ {
				for _, e := range ends[span[2*k]:span[2*k+1]] {
					e := int(e)
					if e > end {
						break
					}
					if e-k < 2 || k == start && e == end {
						continue
					}
					subs = append(subs, hanWord{text: run[bo[k]:bo[e]], start: k, end: e})
				}
			}
			if len(subs) > from {
				w.subs = subs[from:len(subs):len(subs)]
			}
		}
		out = append(out, w)
	}
	// Runs of single characters off the dictionary path go to the HMM,
	// which finds words the dictionary lacks (names, new terms).
	flush := func(from, to int) {
		switch {
		case to-from == 1:
			add(from, to)
		case to-from > 1:
			buf := run[bo[from]:bo[to]]
			if f, _, ok := s.Find(buf); ok && f > 0 {
				for i := from; i < to; i++ {
					add(i, i+1)
				}
				return
			}
			lens, ok := hmmCut(&sc.hmm, buf, sc.lens[:0])
			if !ok {
				fellBack(fastHMM)
				for _, w := range s.HMMCut(buf) {
					lens = append(lens, utf8.RuneCountInString(w))
				}
			}
			sc.lens = lens
			at := from
			for _, l := range lens {
				if l == 0 || at+l > to {
					break
				}
				add(at, at+l)
				at += l
			}
			for ; at < to; at++ { // defensive: the HMM returned less text
				add(at, at+1)
			}
		}
	}
	single := 0
	for k := 0; k < n; {
		end := routes[k].end
		if end-k == 1 {
			k = end
			continue
		}
		flush(single, k)
		add(k, end)
		k = end
		single = k
	}
	flush(single, n)
	sc.words, sc.subs = out, subs
	return out
}

// grow returns s resliced to length n, reallocated if too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/2)
	}
	return s[:n]
}

// isNumberJoint reports whether the separator f at text[i] joins two digit
// groups of a number: a decimal point between digits, or a thousands comma
// followed by exactly three digits.
func isNumberJoint(text string, i int, f rune) bool {
	if f != '.' && f != ',' {
		return false
	}
	if i == 0 {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(text[:i])
	if p := fold(prev); p < '0' || p > '9' {
		return false
	}
	_, w := utf8.DecodeRuneInString(text[i:])
	rest := text[i+w:]
	digits := 0
	for len(rest) > 0 {
		r, w := utf8.DecodeRuneInString(rest)
		if r = fold(r); r < '0' || r > '9' {
			break
		}
		digits++
		rest = rest[w:]
	}
	if f == '.' {
		return digits > 0
	}
	return digits == 3
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// Cut returns the index terms of text in order: gse search-mode words
// (each word followed by the dictionary words inside it), ASCII lower-cased,
// full-width letters, digits and punctuation folded to half-width, stop words
// and punctuation removed. Numbers stay whole ("45", "1500", "87.2").
// It is exactly the term sequence the govbot_zh analyzer indexes.
func Cut(text string) []string {
	var out []string
	analyze(text, func(t token) { out = append(out, t.term) })
	return out
}

// Terms analyses a question the way paragraphs are indexed and returns its
// distinct terms in order of first appearance.
func Terms(text string) []string {
	var out []string
	seen := make(map[string]bool)
	analyze(text, func(t token) {
		if !seen[t.term] {
			seen[t.term] = true
			out = append(out, t.term)
		}
	})
	return out
}

package index

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	// bleve's CJK analyzer, for indexes built with it for comparison.
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the gse tokenizer and the govbot analyzer are registered
// with bleve. An index mapping refers to them by name, so every process that
// opens an index needs them registered; this package's init does it.
const (
	// TokenizerName is the bleve tokenizer that runs analyze: gse search-mode
	// words with width folding, lower-casing and stop word removal built in.
	TokenizerName = "gse"
	// AnalyzerName is the bleve analyzer for Chinese report text: the gse
	// tokenizer with no further filters (the tokenizer already folds and
	// drops stop words, so that Cut and the index agree term for term).
	AnalyzerName = "govbot_zh"
)

func init() {
	if err := registry.RegisterTokenizer(TokenizerName, tokenizerConstructor); err != nil {
		panic(fmt.Errorf("index: register tokenizer %q: %w", TokenizerName, err))
	}
	if err := registry.RegisterAnalyzer(AnalyzerName, analyzerConstructor); err != nil {
		panic(fmt.Errorf("index: register analyzer %q: %w", AnalyzerName, err))
	}
}

func tokenizerConstructor(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
	return Tokenizer{}, nil
}

func analyzerConstructor(_ map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	tok, err := cache.TokenizerNamed(TokenizerName)
	if err != nil {
		return nil, fmt.Errorf("index: analyzer %q: %w", AnalyzerName, err)
	}
	return &analysis.DefaultAnalyzer{Tokenizer: tok}, nil
}

// Tokenizer is the bleve tokenizer registered as TokenizerName. Tokens carry
// byte offsets into the input and 1-based positions; the dictionary words
// found inside a longer word share that word's position, so phrase queries
// treat them as alternatives at one place.
type Tokenizer struct{}

// Short inputs that repeat across documents (a report's title, issuer and
// the heading path shared by the paragraphs of a section) are analysed once
// and their token streams shared; bleve only reads token streams when the
// analyzer has no token filters, as govbot_zh has none.
const (
	cacheMaxInput   = 512
	cacheMaxEntries = 8192
)

var tokenCache struct {
	sync.Mutex
	m map[string]analysis.TokenStream
}

// prefetched holds token streams of paragraph texts analysed ahead of
// bleve by add, which analyses the next batch on the idle cores while bleve
// builds and syncs the current one; Tokenize takes them out. Entries are
// keyed by content, so whichever index asks first for a text gets it.
var prefetched struct {
	sync.Mutex
	m map[string]analysis.TokenStream
}

// prefetch analyses texts on GOMAXPROCS goroutines into prefetched.
func prefetch(texts []string) {
	parallel(len(texts), func(i int) {
		ts := tokenize([]byte(texts[i]))
		prefetched.Lock()
		if prefetched.m == nil {
			prefetched.m = make(map[string]analysis.TokenStream)
		}
		prefetched.m[texts[i]] = ts
		prefetched.Unlock()
	})
}

// unprefetch drops what is left of texts in prefetched.
func unprefetch(texts []string) {
	prefetched.Lock()
	for _, t := range texts {
		delete(prefetched.m, t)
	}
	prefetched.Unlock()
}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	prefetched.Lock()
	ts, ok := prefetched.m[string(input)]
	if ok {
		delete(prefetched.m, string(input))
	}
	prefetched.Unlock()
	if ok {
		return ts
	}
	if len(input) > cacheMaxInput {
		return tokenize(input)
	}
	tokenCache.Lock()
	ts, ok = tokenCache.m[string(input)]
	tokenCache.Unlock()
	if ok {
		return ts
	}
	ts = tokenize(input)
	tokenCache.Lock()
	if len(tokenCache.m) >= cacheMaxEntries || tokenCache.m == nil {
		tokenCache.m = make(map[string]analysis.TokenStream)
	}
	tokenCache.m[string(input)] = ts
	tokenCache.Unlock()
	return ts
}

// tokenPool holds tokenize's scratch token lists.
var tokenPool = sync.Pool{New: func() any { return new([]analysis.Token) }}

func tokenize(input []byte) analysis.TokenStream {
	// analyze works on a string; the conversion copies once per field.
	// The tokens are collected in a pooled list, then copied into one slab
	// of the exact size, and their terms share the analysed text's memory
	// instead of a copy each: bleve only reads token streams of an analyzer
	// without filters (govbot_zh has none), and the strings they alias are
	// never modified.
	scratch := tokenPool.Get().(*[]analysis.Token)
	toks := (*scratch)[:0]
	analyze(string(input), func(t token) {
		typ := analysis.AlphaNumeric
		switch {
		case t.han:
			typ = analysis.Ideographic
		case t.num:
			typ = analysis.Numeric
		}
		toks = append(toks, analysis.Token{
			Term:     unsafe.Slice(unsafe.StringData(t.term), len(t.term)),
			Start:    t.start,
			End:      t.end,
			Position: t.pos,
			Type:     typ,
		})
	})
	slab := make([]analysis.Token, len(toks))
	copy(slab, toks)
	clear(toks) // drop the references to the text
	*scratch = toks
	tokenPool.Put(scratch)
	ts := make(analysis.TokenStream, len(slab))
	for i := range slab {
		ts[i] = &slab[i]
	}
	return ts
}

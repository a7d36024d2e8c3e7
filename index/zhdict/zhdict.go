// Package zhdict loads gse's simplified Chinese dictionary (zh_s) from a
// precompiled snapshot embedded in the binary, in a few milliseconds and
// ~25 MiB, where gse's own LoadDictEmbed("zh_s") parses 5 MB of text and
// inserts 352,275 words one by one (about a second and 130 MiB of heap).
//
// The snapshot, zh_s.snap.zst (zstd-compressed: 2.7 MB in the binary rather
// than 3.7 MB, decompressed once per process in about 5 ms), is generated
// from the gse version in go.mod:
//
//	go generate ./index/zhdict
//
// and a test checks that the committed file is what the generator writes.
//
// Segmenting with the loaded dictionary gives exactly LoadDictEmbed("zh_s")'s
// words in gse's DAG modes: Cut and CutSearch with the hmm flag (true or
// false), CutAll, CutDAG, Find and Value. Words added afterwards with
// AddToken or ReAddToken behave as on gse's dictionary. To stay small the
// dictionary's words share tokens (a token per distinct frequency and part of
// speech), so the shortest-path modes, which print the tokens' own texts —
// Segment, Slice, String, Pos, and Cut or CutSearch without the hmm flag — are
// not supported and return wrong words.
//
// Linking this package does not link gse's own embedded dictionaries (~38 MB,
// 24 MB of them Japanese) as long as nothing calls LoadDictEmbed or
// NewEmbed.
package zhdict

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/go-ego/gse"
	"github.com/klauspost/compress/zstd"

	"github.com/govbot/govbot/index/zhdict/internal/snap"
)

//go:generate go run ./internal/gen -o zh_s.snap.zst

// compressed is the zh_s dictionary snapshot, zstd-compressed.
//
//go:embed zh_s.snap.zst
var compressed []byte

// maxSnapshotBytes bounds the decompressed snapshot, against a corrupt
// frame header.
const maxSnapshotBytes = 64 << 20

// snapshot returns the decompressed snapshot. It is decompressed once per
// process and kept: the dictionary a Load builds reads its words from it in
// place.
var snapshot = sync.OnceValues(func() (string, error) {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxSnapshotBytes))
	if err != nil {
		return "", err
	}
	defer dec.Close()
	b, err := dec.DecodeAll(compressed, nil)
	if err != nil || len(b) == 0 {
		return "", fmt.Errorf("decompress zh_s.snap.zst: %w", err)
	}
	// b is never written again: the string shares its memory.
	return unsafe.String(&b[0], len(b)), nil
})

// LoadSegmenter returns a new segmenter with the zh_s dictionary and gse's
// HMM model loaded, as a new gse.Segmenter is after LoadDictEmbed("zh_s"),
// with SkipLog set. See the package comment for the modes it supports.
func LoadSegmenter() (*gse.Segmenter, error) {
	seg := new(gse.Segmenter)
	seg.SkipLog = true
	if err := Load(seg); err != nil {
		return nil, err
	}
	return seg, nil
}

// Load loads the zh_s dictionary into seg, which must have no dictionary yet
// and gse's default word splitting (AlphaNum, Alpha and Num false). It is
// the drop-in replacement for seg.LoadDictEmbed("zh_s") on a new segmenter:
// like it, it also initialises seg's defaults and gse's HMM model
// (seg.Init).
func Load(seg *gse.Segmenter) error {
	if seg.Dict != nil {
		return errors.New("zhdict: segmenter already has a dictionary")
	}
	if seg.AlphaNum || seg.Alpha || seg.Num {
		return errors.New("zhdict: the snapshot needs gse's default word splitting (AlphaNum, Alpha, Num false)")
	}
	d, ok := takePrefetched()
	if !ok {
		d = decode()
	}
	if d.err != nil {
		return fmt.Errorf("zhdict: load zh_s snapshot: %w", d.err)
	}
	seg.Dict = d.dict
	seg.Init()
	return nil
}

// decoded is the result of decoding the snapshot.
type decoded struct {
	dict *gse.Dictionary
	err  error
}

// decode decompresses (once per process) and decodes the snapshot.
func decode() decoded {
	data, err := snapshot()
	if err != nil {
		return decoded{err: err}
	}
	d, err := snap.Decode(data)
	return decoded{d, err}
}

// prefetch holds the dictionary Prefetch decodes for the next Load.
var prefetch struct {
	mu      sync.Mutex
	started bool         // Prefetch was called; later calls do nothing
	ch      chan decoded // the decoding in flight or done; nil once taken
}

// Prefetch starts decompressing and decoding the dictionary in the
// background, for the next Load to take instead of doing it then: a
// program that knows early that it will segment text (a command line's
// first argument, read in an init function) overlaps the ~50 ms of CPU with
// the rest of its start. Only the first call does anything, and a dictionary
// no Load takes stays in memory (~25 MiB).
func Prefetch() {
	prefetch.mu.Lock()
	defer prefetch.mu.Unlock()
	if prefetch.started {
		return
	}
	prefetch.started = true
	ch := make(chan decoded, 1)
	prefetch.ch = ch
	go func() { ch <- decode() }()
}

// takePrefetched waits for and returns the dictionary Prefetch decoded, if
// Prefetch was called and no Load took it yet.
func takePrefetched() (decoded, bool) {
	prefetch.mu.Lock()
	ch := prefetch.ch
	prefetch.ch = nil
	prefetch.mu.Unlock()
	if ch == nil {
		return decoded{}, false
	}
	return <-ch, true
}

// Walker walks the words of a dictionary's trie byte by byte: Step(from,
// key) follows key from a node (0 is the root) as cedar's Jump does, and
// Value(node) reads the token index stored there (an index into the
// dictionary's Tokens, whose Freq is the word's frequency; on a snapshot
// dictionary Text is not the word, as tokens are shared). It reads the trie
// in place, so it is several times faster than looking every prefix up with
// d.Find, and is valid until words are added to the dictionary.
type Walker = snap.Walker

// NewWalker returns a Walker over d (any gse dictionary, loaded by Load or
// not). ok is false when gse's or cedar's internal layout does not match
// the one this package was written for; use d.Find then.
func NewWalker(d *gse.Dictionary) (w Walker, ok bool) { return snap.NewWalker(d) }

// FastPath reports whether gse's and cedar's unexported layouts match the
// mirrors this package was written for (internal/snap/layout.go): then Load
// fills a dictionary in bulk and NewWalker works. When false, Load goes
// through gse's per-word API (ten times slower, and every word a token of
// its own) and NewWalker fails; index's TestFastPaths fails too.
func FastPath() bool { return snap.FastPath() }

package index

import "sync/atomic"

// Fast paths over dependency internals
//
// Where gse's or bleve's exported API was too slow, govbot reads their
// internals: gse's HMM table through go:linkname (fastpath_hmm.go), cedar's
// trie arrays through mirrors of its unexported layout (package zhdict and
// its internal/snap, used by fastpath_dict.go), scorch's snapshots, segments
// and segment files (fastpath_scorch.go, read by sumquery.go and scope.go).
// All of that code is in these files. Each fast path checks that the
// internals it expects are there and otherwise takes the exported API,
// giving the same results more slowly; such a fallback is counted here.
// TestFastPaths fails when any fast path is not taken, so that a dependency
// upgrade that breaks one shows up as a red test, not as a slowdown.

// fastPath names a fast path whose fallbacks are counted.
type fastPath int

const (
	// fastTrieWalk: cut walks the dictionary trie in place (zhdict.Walker
	// over cedar's arrays, the first-rune table) rather than calling
	// gse's Dictionary.Find for every prefix.
	fastTrieWalk fastPath = iota
	// fastHMM: cut runs gse's HMM itself over its emission table (hmmCut)
	// rather than calling gse's HMMCut.
	fastHMM
	// fastScorch: searches read scorch's segments and document numbers
	// (sumQuery, reportDocs) rather than running bleve's disjunction and
	// filter queries.
	fastScorch
	// fastNorms: sumQuery reads a posting's field length (zap's
	// NormUint64) and caches float32 norms rather than scoring every
	// posting afresh and decoding frequent terms every time.
	fastNorms
	numFastPaths
)

var fastPathNames = [numFastPaths]string{"trie walk", "HMM", "scorch segments", "zap norms"}

func (p fastPath) String() string { return fastPathNames[p] }

// fallbacks counts, for each fast path, the times it was not taken.
var fallbacks [numFastPaths]atomic.Int64

// fellBack records that fast path p was not taken.
func fellBack(p fastPath) { fallbacks[p].Add(1) }

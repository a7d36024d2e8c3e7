package snap

import (
	"reflect"
	"unsafe"

	"github.com/go-ego/gse"
	"github.com/vcaesar/cedar"
)

// The mirror types below repeat, field for field, the unexported layout of
// gse.Dictionary, gse.Token and cedar.Cedar (and its element types) at the
// versions pinned in go.mod. They let Decode fill a dictionary's trie arrays
// and token table in bulk, which neither package's exported API allows: gse
// builds a dictionary one AddToken (one cedar Insert, several allocations) at
// a time. layoutOK verifies the mirrors against the real types with reflect
// when the package initialises; if a dependency upgrade changes a layout,
// Decode falls back to the exported API instead of writing through a wrong
// mirror.

// node mirrors cedar.Node.
type node struct {
	baseV, check int
}

// ninfo mirrors cedar.NInfo.
type ninfo struct {
	sibling, child byte
}

// block mirrors cedar.Block: its fields must match cedar's, read or not.
type block struct {
	//lint:ignore U1000 a field of cedar.Block's layout, which block mirrors
	prev, next, num, reject, trial, eHead int
}

// trie mirrors cedar.Cedar.
type trie struct {
	Reduced bool

	array  []node
	nInfos []ninfo
	blocks []block
	reject [257]int

	blocksHeadFull   int
	blocksHeadClosed int
	blocksHeadOpen   int

	capacity int
	size     int
	ordered  bool
	maxTrial int
}

// dict mirrors gse.Dictionary.
type dict struct {
	trie        *cedar.Cedar
	maxTokenLen int
	Tokens      []gse.Token
	totalFreq   float64
}

// token mirrors gse.Token.
type token struct {
	text     []gse.Text
	freq     float64
	pos      string
	distance float32
	segments []*gse.Segment
}

// layoutOK reports whether every mirror matches its real type.
var layoutOK = sameLayout(reflect.TypeFor[cedar.Cedar](), reflect.TypeFor[trie]()) &&
	sameLayout(reflect.TypeFor[gse.Dictionary](), reflect.TypeFor[dict]()) &&
	sameLayout(reflect.TypeFor[gse.Token](), reflect.TypeFor[token]())

// FastPath reports whether Decode fills dictionaries in bulk (the mirrors of
// gse's and cedar's unexported layouts match the linked versions) rather than
// through gse's exported, per-word API.
func FastPath() bool { return layoutOK }

// sameLayout reports whether mirror has the same memory layout as real:
// same kinds, sizes, alignments, field names and offsets, recursively.
func sameLayout(real, mirror reflect.Type) bool {
	if real == mirror {
		return true
	}
	if real.Kind() != mirror.Kind() || real.Size() != mirror.Size() || real.Align() != mirror.Align() {
		return false
	}
	switch real.Kind() {
	case reflect.Struct:
		if real.NumField() != mirror.NumField() {
			return false
		}
		for i := range real.NumField() {
			a, b := real.Field(i), mirror.Field(i)
			if a.Name != b.Name || a.Offset != b.Offset || !sameLayout(a.Type, b.Type) {
				return false
			}
		}
	case reflect.Array:
		return real.Len() == mirror.Len() && sameLayout(real.Elem(), mirror.Elem())
	case reflect.Slice, reflect.Pointer:
		return sameLayout(real.Elem(), mirror.Elem())
	case reflect.Map, reflect.Chan, reflect.Func, reflect.Interface, reflect.UnsafePointer:
		// Not used by the mirrored types; refuse rather than guess.
		return false
	}
	return true
}

// trieOf returns the mirror view of c. Only call it when layoutOK.
func trieOf(c *cedar.Cedar) *trie { return (*trie)(unsafe.Pointer(c)) }

// dictOf returns the mirror view of d. Only call it when layoutOK.
func dictOf(d *gse.Dictionary) *dict { return (*dict)(unsafe.Pointer(d)) }

// tokensOf returns the mirror view of ts. Only call it when layoutOK.
func tokensOf(ts []gse.Token) []token {
	if len(ts) == 0 {
		return nil
	}
	return unsafe.Slice((*token)(unsafe.Pointer(unsafe.SliceData(ts))), len(ts))
}

// Walker reads a dictionary's cedar trie in place: cedar's Jump and Value
// without their per-byte function calls. It is valid until words are added
// to the dictionary (cedar may then move its arrays).
type Walker struct {
	array   []node
	reduced bool
}

// NewWalker returns a walker over d's trie; ok is false when the mirrors do
// not match the linked gse and cedar (FastPath is false).
func NewWalker(d *gse.Dictionary) (w Walker, ok bool) {
	if !layoutOK || d == nil {
		return Walker{}, false
	}
	t := trieOf(dictOf(d).trie)
	return Walker{array: t.array, reduced: t.Reduced}, true
}

// Step follows key's bytes from node from, as cedar's Jump(key, from)
// does, and reports whether the trie holds the path.
func (w Walker) Step(from int, key string) (int, bool) {
	for i := 0; i < len(key); i++ {
		k := key[i]
		if uint(from) >= uint(len(w.array)) {
			return from, false
		}
		base := w.array[from].baseV
		if w.reduced {
			if base >= 0 {
				return from, false // a leaf holding a value
			}
			base = -(base + 1)
		}
		to := base ^ int(k)
		if uint(to) >= uint(len(w.array)) || w.array[to].check != from {
			return from, false
		}
		from = to
	}
	return from, true
}

// Value returns the value stored at node id, as cedar's Value(id) does.
func (w Walker) Value(id int) (int, bool) {
	if uint(id) >= uint(len(w.array)) {
		return 0, false
	}
	n := w.array[id]
	if n.baseV >= 0 {
		return n.baseV, true
	}
	to := n.baseV
	if w.reduced {
		to = -(n.baseV + 1)
	}
	if uint(to) < uint(len(w.array)) && w.array[to].check == id && w.array[to].baseV >= 0 {
		return w.array[to].baseV, true
	}
	return 0, false
}

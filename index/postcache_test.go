package index

import (
	"math"
	"testing"
)

// TestClassifier checks that a term's postings get one class per frequency
// and length, small ones and large ones alike, and that a classifier handed
// back starts afresh.
func TestClassifier(t *testing.T) {
	cl := classifiers.Get().(*classifier)
	defer classifiers.Put(cl)
	pairs := [][2]uint64{{1, 3}, {1, 3}, {2, 3}, {1, 1500}, {40, 7}, {1, 1500}, {40, 7}, {1, 4}}
	seen := map[[2]uint64]uint16{}
	for _, p := range pairs {
		fl, ok := packFL(p[0], p[1])
		if !ok {
			t.Fatalf("%v does not pack", p)
		}
		k, added, ok := cl.class(fl)
		if !ok {
			t.Fatalf("%v: no class", p)
		}
		old, had := seen[p]
		if added == had || had && old != k {
			t.Fatalf("%v: class %d (new %v), seen as %d (%v)", p, k, added, old, had)
		}
		seen[p] = k
		if f, n := unpackFL(cl.classes[k]); uint64(f) != p[0] || uint64(n) != p[1] {
			t.Fatalf("class %d is %d/%d, want %v", k, f, n, p)
		}
	}
	if got := cl.reset(); len(got) != len(seen) {
		t.Fatalf("%d classes, want %d", len(got), len(seen))
	}
	for _, p := range pairs {
		fl, _ := packFL(p[0], p[1])
		if _, added, _ := cl.class(fl); !added {
			t.Fatalf("%v: kept after reset", p)
		}
		cl.reset()
	}
	for _, bad := range [][2]uint64{{0, 5}, {256, 5}, {1, 1 << 24}} {
		if _, ok := packFL(bad[0], bad[1]); ok {
			t.Errorf("%v packs", bad)
		}
	}
}

// TestClassifierFull checks that a term of more classes than a uint16
// numbers is refused, not numbered wrong.
func TestClassifierFull(t *testing.T) {
	var cl classifier
	cl.small = make([]uint32, 1<<(smallFreqBits+smallLengthBits))
	for n := range uint64(math.MaxUint16 + 1) {
		fl, _ := packFL(1+n%8, n/8)
		if _, _, ok := cl.class(fl); !ok {
			t.Fatalf("refused at class %d", n)
		}
	}
	fl, _ := packFL(1, 1<<20)
	if _, _, ok := cl.class(fl); ok {
		t.Fatal("class 65,537 was numbered")
	}
}

// TestCachedTermBases checks that a cached term's class scores are the
// clause's scores of its postings, kept for the scoring they were computed
// for and computed anew for another.
func TestCachedTermBases(t *testing.T) {
	var classes []uint32
	for _, p := range [][2]uint64{{1, 1}, {1, 37}, {3, 37}, {2, 5000}} {
		fl, _ := packFL(p[0], p[1])
		classes = append(classes, fl)
	}
	c := &sumClauseState{idf: 2.5, avgLen: 1, weight: 0.3}
	term := &cachedTerm{classes: classes}
	term.base, term.scoring = term.bases(c), c.scoring()
	other := &sumClauseState{idf: 1.5, avgLen: 1, weight: 0.3}
	tfidf := &sumClauseState{idf: 2.5, weight: 1}
	for _, c := range []*sumClauseState{c, other, tfidf} {
		base := term.bases(c)
		for i, fl := range classes {
			f, n := unpackFL(fl)
			if got, want := base[i]*c.weight, c.score(uint64(f), lengthNorm(n)); got != want {
				t.Errorf("idf %g avgLen %g: class %d/%d scores %.17g, want %.17g", c.idf, c.avgLen, f, n, got, want)
			}
		}
	}
}

package index

import (
	"math"
	"math/rand/v2"
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
	if len(cl.classes) != len(seen) {
		t.Fatalf("%d classes, want %d", len(cl.classes), len(seen))
	}
	cl.reset()
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

// TestCachedTermStream checks that a cached term gives back its postings,
// in order, read one by one and sought to, over terms dense and sparse, of
// few classes and of more than a byte numbers.
func TestCachedTermStream(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 60 {
		n := 1 + rng.IntN(3000)
		gap := 1 + rng.Uint32N([]uint32{2, 50, 1 << 20}[trial%3])
		nclasses := 1 + rng.IntN([]int{3, 300, 2000}[trial/3%3])
		classes := make([]uint32, nclasses)
		for i := range classes {
			classes[i], _ = packFL(uint64(1+i%7), uint64(i))
		}
		docs := make([]uint32, n)
		cls := make([]uint16, n)
		var doc uint32
		for i := range docs {
			doc += 1 + rng.Uint32N(gap)
			if i == 0 {
				doc = rng.Uint32N(1 << 24)
			}
			docs[i] = doc
			// Skewed: low classes are used most.
			cls[i] = uint16(min(rng.IntN(nclasses), rng.IntN(nclasses)))
		}
		term := encodeTerm(docs, cls, classes)
		if term.n != n {
			t.Fatalf("%d postings, want %d", term.n, n)
		}
		cur := termCursor{t: term}
		for i := range docs {
			if !cur.next() || cur.doc != uint64(docs[i]) || term.classes[cur.class] != classes[cls[i]] {
				t.Fatalf("trial %d: posting %d is %d/%d, want %d/%d", trial, i, cur.doc, cur.class, docs[i], cls[i])
			}
		}
		if cur.next() {
			t.Fatalf("trial %d: a posting past the last", trial)
		}
		// Seeks to increasing targets, from a posting before each.
		cur = termCursor{t: term}
		cur.next()
		for target := uint64(docs[0]) + 1; ; target += 1 + rng.Uint64N(uint64(gap)*uint64(1+rng.IntN(400))) {
			if cur.doc >= target {
				continue
			}
			i := 0
			for i < n && uint64(docs[i]) < target {
				i++
			}
			if ok := cur.seek(target); ok != (i < n) {
				t.Fatalf("trial %d: seek %d: %v, want %v", trial, target, ok, i < n)
			}
			if i == n {
				break
			}
			if cur.doc != uint64(docs[i]) || term.classes[cur.class] != classes[cls[i]] {
				t.Fatalf("trial %d: seek %d gives %d, want %d", trial, target, cur.doc, docs[i])
			}
		}
	}
}

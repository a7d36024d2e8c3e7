package index

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbot/govbot/corpus"
)

// TestSumQueryScoresAsBleve checks that sumQuery finds the paragraphs
// bleve's disjunction of term queries finds, with its scores (to the last
// few bits: the order of the additions may differ) and in its order (up to
// such near-ties), unrestricted and restricted to reports, on an index of
// several segments with a report removed, and on the shared corpus.
func TestSumQueryScoresAsBleve(t *testing.T) {
	t.Run("sample", func(t *testing.T) {
		defer func(n int) { batchParagraphs = n }(batchParagraphs)
		batchParagraphs = 20 // several segments: document numbers span them
		reports := twoReports("推进行政复议规范化建设，行政复议案件办理质效提升。")
		gone := parseTestReport("2023-gone", "将被删除的报告\n一、行政复议\n行政复议案件办理12件，行政执法规范化。\n")
		ix, err := OpenMemory(append(reports, gone))
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if err := ix.Remove(context.Background(), gone.ID); err != nil {
			t.Fatal(err)
		}
		compareSumQuery(t, ix, reports, 40, nil)
	})
	t.Run("shared", func(t *testing.T) {
		all, _ := sharedReports(t)
		// Every fourth report keeps the test short; the national reports
		// among them give frequent terms long posting lists.
		var reports []*corpus.Report
		for i := 0; i < len(all); i += 4 {
			reports = append(reports, all[i])
		}
		ix, err := OpenMemory(reports)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		compareSumQuery(t, ix, reports, 60, nil)
		t.Run("cached postings", func(t *testing.T) {
			// Every term's postings decoded and cached; each query runs
			// twice, so the second reads them from the cache.
			defer func(n uint64) { cacheMinPostings = n }(cacheMinPostings)
			cacheMinPostings = 1
			var cache postingsCache
			compareSumQuery(t, ix, reports, 30, &cache)
			compareSumQuery(t, ix, reports, 30, &cache)
			if cache.entries.len() == 0 {
				t.Error("nothing was cached")
			}
		})
	})
}

// compareSumQuery searches ix with n query texts cut from the reports'
// paragraphs, each unrestricted, restricted to one report and to half of
// them, with sumQuery and with bleve's disjunction (and bleve's filter).
func compareSumQuery(t *testing.T, ix *Index, reports []*corpus.Report, n int, cache *postingsCache) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	var half []string
	for i, r := range reports {
		if i%2 == 0 {
			half = append(half, r.ID)
		}
	}
	for i := range n {
		r := reports[rng.IntN(len(reports))]
		if len(r.Paragraphs) == 0 {
			continue
		}
		text := []rune(r.Paragraphs[rng.IntN(len(r.Paragraphs))].Text)
		start := rng.IntN(max(1, len(text)-10))
		text = text[start:min(len(text), start+4+rng.IntN(20))]
		sum := &sumQuery{sets: &ix.st().docSets, cache: cache}
		for _, qt := range ix.st().queryTerms(Query{Text: string(text)}) {
			sum.clauses = append(sum.clauses,
				sumClause{qt.term, fieldText, qt.weight},
				sumClause{qt.term, fieldSection, qt.weight * defaultSectionBoost})
		}
		for _, scope := range [][]string{nil, {r.ID}, half} {
			t.Run(fmt.Sprintf("%d/%d", i, len(scope)), func(t *testing.T) {
				sum.reports = scope
				var want query.Query = sum.disjunction()
				if scope != nil {
					want = (&scopeQuery{root: want, reports: scope}).filtered()
				}
				got := searchAll(t, ix, sum)
				exp := searchAll(t, ix, want)
				if len(got) != len(exp) {
					t.Fatalf("%q: %d hits, bleve %d", string(text), len(got), len(exp))
				}
				score := make(map[string]float64, len(exp))
				for _, h := range exp {
					score[h.ID] = h.Score
				}
				for k, h := range got {
					w, ok := score[h.ID]
					if !ok || math.Abs(h.Score-w) > 1e-12*w {
						t.Fatalf("%q: %s scores %.17g, bleve %.17g (found %v)", string(text), h.ID, h.Score, w, ok)
					}
					if e := exp[k]; e.ID != h.ID && math.Abs(e.Score-h.Score) > 1e-12*e.Score {
						t.Errorf("%q: hit %d is %s (%.17g), bleve's %s (%.17g)", string(text), k, h.ID, h.Score, e.ID, e.Score)
					}
				}
			})
		}
	}
}

func searchAll(t *testing.T, ix *Index, q query.Query) []*searchHit {
	t.Helper()
	res, err := ix.st().bi.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(q, 100000, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	return res.Hits
}

func TestBitsetRanges(t *testing.T) {
	for _, tt := range []struct {
		name string
		nums []uint64
		want []docRange
	}{
		{"empty", nil, nil},
		{"zero", []uint64{0}, []docRange{{0, 1}}},
		{"word", seq(0, 64), []docRange{{0, 64}}},
		{"across words", seq(60, 70), []docRange{{60, 70}}},
		{"three words", seq(5, 200), []docRange{{5, 200}}},
		{"runs", append(append(seq(1, 3), seq(63, 65)...), 127, 200), []docRange{{1, 3}, {63, 65}, {127, 128}, {200, 201}}},
		{"word end", []uint64{63}, []docRange{{63, 64}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bitset
			for _, n := range tt.nums {
				b.add(n)
			}
			if got := b.ranges(); !slices.Equal(got, tt.want) {
				t.Errorf("ranges = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 200 {
			var b bitset
			in := make(map[uint64]bool)
			for range rng.IntN(300) {
				n := rng.Uint64N(700)
				if rng.IntN(3) == 0 { // runs
					for k := range rng.Uint64N(130) {
						b.add(n + k)
						in[n+k] = true
					}
				}
				b.add(n)
				in[n] = true
			}
			var covered int
			var last uint64
			for i, r := range b.ranges() {
				if r.start >= r.end || i > 0 && r.start <= last {
					t.Fatalf("ranges %v: not ordered, disjoint and apart", b.ranges())
				}
				for n := r.start; n < r.end; n++ {
					if !in[n] {
						t.Fatalf("range %v holds %d, not in the set", r, n)
					}
				}
				if in[r.end] || r.start > 0 && in[r.start-1] {
					t.Fatalf("range %v does not cover its run", r)
				}
				covered += int(r.end - r.start)
				last = r.end
			}
			if covered != len(in) {
				t.Fatalf("ranges cover %d numbers, set has %d", covered, len(in))
			}
		}
	})
}

func seq(from, to uint64) []uint64 {
	var out []uint64
	for n := from; n < to; n++ {
		out = append(out, n)
	}
	return out
}

// TestKeepBestSameHits checks that handing the collector only the
// paragraphs that can be among the best (sumQuery.keep) changes no hit of a
// search nor of its subsets.
func TestKeepBestSameHits(t *testing.T) {
	all, _ := sharedReports(t)
	var reports []*corpus.Report
	for i := 0; i < len(all); i += 3 {
		reports = append(reports, all[i])
	}
	// Copies of reports tie with them: the n-th best score is often shared.
	for _, r := range reports[:len(reports)/2] {
		c := *r
		c.ID = r.ID + "~copy"
		c.Paragraphs = slices.Clone(r.Paragraphs)
		for i := range c.Paragraphs {
			c.Paragraphs[i].ID = c.ID + "#p" + strconv.Itoa(c.Paragraphs[i].Seq)
		}
		reports = append(reports, &c)
	}
	ix, err := OpenMemory(reports)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rng := rand.New(rand.NewPCG(5, 6))
	var half []string
	for i, r := range reports {
		if i%2 == 1 {
			half = append(half, r.ID)
		}
	}
	search := func(q Query, subsets []Subset, keep bool) ([]Hit, [][]Hit) {
		defer func(k bool) { keepBest = k }(keepBest)
		keepBest = keep
		hits, more, err := ix.SearchSubsets(context.Background(), q, subsets...)
		if err != nil {
			t.Fatal(err)
		}
		return hits, more
	}
	for i := range 80 {
		q, subsets := randomSearch(rng, reports, half, i)
		gotHits, gotMore := search(q, subsets, true)
		wantHits, wantMore := search(q, subsets, false)
		if !reflect.DeepEqual(gotHits, wantHits) {
			t.Errorf("%q: hits %v, without keeping %v", q.Text, gotHits, wantHits)
		}
		for k := range subsets {
			if !reflect.DeepEqual(gotMore[k], wantMore[k]) {
				t.Errorf("%q: subset %d hits %v, without keeping %v", q.Text, k, gotMore[k], wantMore[k])
			}
		}
	}
}

// TestParallelSameHits checks that collecting a search's postings in
// several goroutines (each over its own part of the documents) gives the
// hits and scores of collecting them in one, to the bit, with two and with
// three cores, unrestricted, restricted and with subsets.
func TestParallelSameHits(t *testing.T) {
	all, _ := sharedReports(t)
	var reports []*corpus.Report
	for i := 0; i < len(all); i += 3 {
		reports = append(reports, all[i])
	}
	ix, err := OpenMemory(reports)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var half []string
	for i, r := range reports {
		if i%2 == 1 {
			half = append(half, r.ID)
		}
	}
	search := func(q Query, subsets []Subset, parallel bool) ([]Hit, [][]Hit) {
		defer func(n, m uint64) { parallelPostings, parallelSlots = n, m }(parallelPostings, parallelSlots)
		parallelPostings, parallelSlots = math.MaxUint64, math.MaxUint64
		if parallel {
			parallelPostings, parallelSlots = 1, 1
		}
		hits, more, err := ix.SearchSubsets(context.Background(), q, subsets...)
		if err != nil {
			t.Fatal(err)
		}
		return hits, more
	}
	for _, procs := range []int{2, 3} {
		t.Run(fmt.Sprint(procs), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			rng := rand.New(rand.NewPCG(7, uint64(procs)))
			for i := range 60 {
				q, subsets := randomSearch(rng, reports, half, i)
				gotHits, gotMore := search(q, subsets, true)
				wantHits, wantMore := search(q, subsets, false)
				if len(wantHits) == 0 {
					t.Fatalf("%q: no hits", q.Text)
				}
				if !reflect.DeepEqual(gotHits, wantHits) {
					t.Errorf("%q: hits %v, in one goroutine %v", q.Text, gotHits, wantHits)
				}
				if !reflect.DeepEqual(gotMore, wantMore) {
					t.Errorf("%q: subset hits %v, in one goroutine %v", q.Text, gotMore, wantMore)
				}
			}
		})
	}
}

// TestParts checks that a search's slots are split into parts that cover
// each slot once, in order, each part's ranges numbering their documents
// with the search's own slots.
func TestParts(t *testing.T) {
	defer func(n uint64) { parallelPostings = n }(parallelPostings)
	parallelPostings = 1
	rng := rand.New(rand.NewPCG(8, 9))
	for _, procs := range []int{2, 3, 5} {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		for trial := range 100 {
			s := &sumSearcher{clauses: []sumClauseState{{count: 1}}}
			if trial%4 == 0 {
				s.slots = uint64(procs) + rng.Uint64N(1000) // unrestricted
			} else {
				s.setRanges(randomRanges(rng, 50, 2000, 40))
				if s.slots < uint64(procs) {
					continue
				}
			}
			parts := s.parts()
			if len(parts) != procs {
				t.Fatalf("%d parts of %d slots, want %d", len(parts), s.slots, procs)
			}
			whole := part{s.ranges, s.bases}
			next := uint64(0) // the next slot expected
			for _, p := range parts {
				if len(p.ranges) == 0 {
					t.Fatalf("an empty part of %d slots", s.slots)
				}
				for ri, r := range p.ranges {
					if p.bases[ri] != next {
						t.Fatalf("part range %v starts at slot %d, want %d", r, p.bases[ri], next)
					}
					for doc := r.start; doc < r.end; doc++ {
						wr := 0
						if whole.ranges != nil {
							for whole.ranges[wr].end <= doc {
								wr++
							}
						}
						if got, want := p.slot(doc, ri), whole.slot(doc, wr); got != want {
							t.Fatalf("document %d: slot %d, the search's %d", doc, got, want)
						}
					}
					next += r.end - r.start
				}
			}
			if next != s.slots {
				t.Fatalf("parts cover %d slots of %d", next, s.slots)
			}
		}
	}
}

// randomSearch returns a search for a piece (4 to 23 runes) of a random
// paragraph of reports, for 1 to 60 hits, restricted to half every third
// time (by i), with two subsets: the paragraph's report and half.
func randomSearch(rng *rand.Rand, reports []*corpus.Report, half []string, i int) (Query, []Subset) {
	r := reports[rng.IntN(len(reports))]
	text := []rune(r.Paragraphs[rng.IntN(len(r.Paragraphs))].Text)
	start := rng.IntN(max(1, len(text)-10))
	q := Query{Text: string(text[start:min(len(text), start+4+rng.IntN(20))]), Size: 1 + rng.IntN(60)}
	if i%3 == 1 {
		q.Reports = half
	}
	return q, []Subset{{Reports: []string{r.ID}, Size: 1 + rng.IntN(20)}, {Reports: half, Size: 30}}
}

// TestPartRuns checks a part's runs of documents and slots against its
// documents, slot by slot, on random parts.
func TestPartRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 300 {
		s := &sumSearcher{}
		if trial%3 == 0 {
			s.slots = rng.Uint64N(1200) // unrestricted
		} else {
			s.setRanges(randomRanges(rng, 20, 1000, 30))
		}
		p := s.whole()
		limit := s.slots - rng.Uint64N(s.slots/4+1) // the accumulator may be shorter
		want := map[uint64]uint64{}                 // slot: document
		for slot := range limit {
			want[slot] = slot
			if p.ranges != nil {
				for ri, r := range p.ranges {
					if slot >= p.bases[ri] && slot < p.bases[ri]+r.end-r.start {
						want[slot] = r.start + slot - p.bases[ri]
					}
				}
			}
		}
		got := map[uint64]uint64{}
		last := int64(-1)
		p.runs(limit, func(doc, slot, n uint64) {
			if n == 0 || int64(doc) <= last {
				t.Fatalf("run %d+%d after document %d", doc, n, last)
			}
			for j := range n {
				got[slot+j] = doc + j
			}
			last = int64(doc + n - 1)
		})
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: runs give %d slots, want %d", trial, len(got), len(want))
		}
	}
}

func TestMergeCandidates(t *testing.T) {
	c := func(docs ...uint64) []candidate {
		var out []candidate
		for _, d := range docs {
			out = append(out, candidate{d, float64(d) / 10})
		}
		return out
	}
	for _, tt := range []struct {
		lists [][]candidate
		want  []candidate
	}{
		{[][]candidate{c(1, 5, 9)}, c(1, 5, 9)},
		{[][]candidate{c(1, 5, 9), c(2, 5, 10), nil}, c(1, 2, 5, 9, 10)},
		{[][]candidate{nil, c(3), c(3, 4)}, c(3, 4)},
		{[][]candidate{nil, nil}, nil},
	} {
		if got := mergeCandidates(nil, tt.lists); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("merge: %v, want %v", got, tt.want)
		}
	}
}

// randomRanges returns the ranges of 1 to maxRuns runs of 1 to maxRun
// numbers, each starting below span.
func randomRanges(rng *rand.Rand, maxRuns int, span, maxRun uint64) []docRange {
	var b bitset
	for range 1 + rng.IntN(maxRuns) {
		n := rng.Uint64N(span)
		for k := range rng.Uint64N(maxRun) + 1 {
			b.add(n + k)
		}
	}
	return b.ranges()
}

package index

import (
	"context"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index/zhdict"
)

// TestFastPaths fails when any fast path over a dependency's internals (see
// fastpath.go) is not taken: gse's and cedar's layouts no longer match the
// mirrors, gse's HMM table is not where go:linkname looks, the dictionary
// tables are not the segmenter's, scorch's snapshots, document numbers,
// norms or segment files are not what the searches and builds read. Each of
// those would otherwise only make govbot slower.
func TestFastPaths(t *testing.T) {
	if !zhdict.FastPath() {
		t.Error("gse's or cedar's memory layout no longer matches index/zhdict/internal/snap/layout.go: the dictionary loads word by word and the trie walker is off; update the mirrors")
	}
	seg := segmenter()
	if _, ok := zhdict.NewWalker(seg.Dict); !ok {
		t.Error("zhdict.NewWalker refuses the segmenter's dictionary: cut looks every prefix up with Find")
	}
	if tabs := segTables.Load(); tabs == nil || tabs.d != seg.Dict {
		t.Error("the dictionary tables are not the segmenter's: cut looks every prefix up with Find")
	}
	for _, st := range []byte("BMES") {
		if len(hmmProbEmit[st]) == 0 {
			t.Errorf("gse's HMM emission table for state %c is empty: go:linkname in fastpath_hmm.go no longer finds gse/hmm.probEmit", st)
		}
	}
	if _, ok := hmmCut(new(hmmScratch), "张三丰来到房县", nil); !ok {
		t.Error("hmmCut does not run: cut calls gse's HMMCut")
	}

	defer func(n uint64) { cacheMinPostings = n }(cacheMinPostings)
	cacheMinPostings = 1 // every term's postings are decoded and cached
	defer func(n int) { batchParagraphs = n }(batchParagraphs)
	batchParagraphs = 40 // several batches, whose segments a build merges
	var before [numFastPaths]int64
	for p := range numFastPaths {
		before[p] = fallbacks[p].Load()
	}

	ctx := context.Background()
	reports := []*corpus.Report{sampleReport(), parseTestReport("2024-other", "另一份报告\n推进一网通办改革，张三丰来到房县调研。\n")}
	dir := t.TempDir()
	if _, err := Update(ctx, dir, reports); err != nil {
		t.Fatal(err)
	}
	gdir, err := CurrentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n := countSegments(gdir); n != 1 {
		t.Errorf("%d *%s files in %s/%s/%s, want the one merged segment: builds no longer merge segments, or wait for scorch to delete the merged ones", n, segmentExt, gdir, bleveDir, storeDir)
	}
	onDisk, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer onDisk.Close()
	inMemory, err := OpenMemory(reports)
	if err != nil {
		t.Fatal(err)
	}
	defer inMemory.Close()
	for name, ix := range map[string]*Index{"on disk": onDisk, "in memory": inMemory} {
		q := Query{Text: "行政复议案件增长多少", WantMatched: true}
		for _, scope := range [][]string{nil, {reports[0].ID}} {
			q.Reports = scope
			// Twice: the second search reads the postings cache.
			for range 2 {
				hits, _, err := ix.SearchSubsets(ctx, q, Subset{Reports: []string{reports[1].ID}})
				if err != nil {
					t.Fatal(err)
				}
				if len(hits) == 0 {
					t.Fatalf("%s: no hits for %q", name, q.Text)
				}
			}
		}
	}
	for p := range numFastPaths {
		if n := fallbacks[p].Load() - before[p]; n != 0 {
			t.Errorf("the %s fast path fell back %d times (see fastpath.go)", p, n)
		}
	}
}

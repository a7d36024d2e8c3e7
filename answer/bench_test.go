package answer

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/govbot/govbot/internal/sharedtest"
)

// benchQuestions are the eval questions plus corpus-extra: figures,
// passages, meta questions, comparisons and abstentions.
func benchQuestions(b *testing.B) []string {
	b.Helper()
	dir := sharedtest.Eval(b)
	var qs []string
	for _, p := range []string{filepath.Join(dir, "dev-seed.jsonl"), filepath.Join(dir, "dev-corpus.jsonl"), filepath.Join("testdata", "corpus-extra.jsonl")} {
		items, err := ReadEvalItems(p)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range items {
			qs = append(qs, it.Q)
		}
	}
	return qs
}

// BenchmarkAnswerFullCorpus measures answer latency over the whole shared
// corpus (117 reports, on-disk index), cycling through the questions, and
// reports the p50 and p99 latency of single questions besides ns/op.
func BenchmarkAnswerFullCorpus(b *testing.B) {
	e := fullEngine(b)
	qs := benchQuestions(b)
	ctx := context.Background()
	for _, q := range qs { // warm the catalog cache: steady state is measured
		if _, err := e.Ask(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := e.Ask(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkAnswerDefaultCorpus measures answering on the embedded default
// corpus (one report, in-memory index).
func BenchmarkAnswerDefaultCorpus(b *testing.B) {
	e, err := OpenDefault()
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Ask(ctx, "房县去年一共办了多少件行政复议案件?"); err != nil {
			b.Fatal(err)
		}
	}
}

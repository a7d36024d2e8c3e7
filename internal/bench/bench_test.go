package bench

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 200)
	for i := range ds {
		ds[i] = time.Duration(i + 1)
	}
	tests := []struct {
		p    int
		want time.Duration
	}{{50, 100}, {99, 198}, {100, 200}, {1, 2}}
	for _, tt := range tests {
		if got := percentile(ds, tt.p); got != tt.want {
			t.Errorf("percentile(1..200, %d) = %d, want %d", tt.p, got, tt.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile(nil) = %v", got)
	}
}

// TestReplicate checks that copies get distinct report and paragraph IDs
// that the index accepts, and that the original reports are not modified.
func TestReplicate(t *testing.T) {
	r := &corpus.Report{Meta: corpus.Meta{ID: "2024-x"}, Paragraphs: []corpus.Paragraph{{ID: "2024-x#p1", Seq: 1, Text: "推进一网通办。"}}}
	many := Replicate([]*corpus.Report{r}, 5)
	if len(many) != 5 {
		t.Fatalf("%d reports, want 5", len(many))
	}
	seen := map[string]bool{}
	for _, m := range many {
		if seen[m.ID] {
			t.Errorf("duplicate report ID %s", m.ID)
		}
		seen[m.ID] = true
		if p := m.Paragraphs[0].ID; !strings.HasPrefix(p, m.ID+"#") {
			t.Errorf("paragraph ID %s not scoped to report %s", p, m.ID)
		}
	}
	if r.Paragraphs[0].ID != "2024-x#p1" {
		t.Errorf("original paragraph ID changed to %s", r.Paragraphs[0].ID)
	}
	ix, err := index.OpenMemory(many)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.NumParagraphs(); n != 5 {
		t.Errorf("index of the copies has %d paragraphs, want 5", n)
	}
}

// buildCorpus indexes the shared reports into a temporary folder and
// returns it with the bench's question list.
func buildCorpus(tb testing.TB, opts index.Options) (dir string, questions []string) {
	tb.Helper()
	shared := sharedtest.Dir(tb)
	reports, errs := corpus.LoadDir(filepath.Join(shared, "reports"))
	if len(errs) > 0 || len(reports) == 0 {
		tb.Fatalf("load reports: %v", errs)
	}
	dir = tb.TempDir()
	if _, err := index.UpdateWith(context.Background(), dir, reports, opts); err != nil {
		tb.Fatal(err)
	}
	return dir, Questions(filepath.Join(shared, "eval"), dir)
}

// BenchmarkAnswer measures answer.Engine.Ask over the full shared corpus,
// the bench's questions in turn, one per op.
func BenchmarkAnswer(b *testing.B) {
	dir, qs := buildCorpus(b, index.Options{})
	benchAsk(b, dir, qs)
}

// BenchmarkAnswer1000 is BenchmarkAnswer over the shared corpus replicated
// to 1,000 reports (as `govbot-dev bench --replicate 1000`), where the search
// dominates the slowest answers. Building the index takes ~20 s.
func BenchmarkAnswer1000(b *testing.B) {
	_, qs := buildCorpus(b, index.Options{}) // the bench's questions, as govbot-dev bench asks them
	reports, errs := corpus.LoadDir(filepath.Join(sharedtest.Dir(b), "reports"))
	if len(errs) > 0 || len(reports) == 0 {
		b.Fatalf("load reports: %v", errs)
	}
	dir := b.TempDir()
	if _, err := index.UpdateWith(context.Background(), dir, Replicate(reports, 1000), index.Options{}); err != nil {
		b.Fatal(err)
	}
	benchAsk(b, dir, qs)
}

func benchAsk(b *testing.B, dir string, qs []string) {
	eng, err := answer.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer eng.Close()
	ctx := context.Background()
	for _, q := range qs { // warm: the reports' catalog entries are loaded
		if _, err := eng.Ask(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := eng.Ask(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchCorpus measures index.Search over the full shared corpus
// as the engine calls it (the question's text, 60 hits), for govbot's
// analyzer and bleve's cjk analyzer.
func BenchmarkSearchCorpus(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts index.Options
	}{{"gse", index.Options{}}, {"cjk", index.Options{Analyzer: "cjk"}}} {
		b.Run(bc.name, func(b *testing.B) {
			dir, qs := buildCorpus(b, bc.opts)
			ix, err := index.Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, index.Query{Text: qs[i%len(qs)], Size: 60}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkAnswerIndex is BenchmarkAnswer over an index already built
// (GOVBOT_BENCH_INDEX, e.g. the replicated folder `govbot-dev bench --work W
// --replicate 1000` leaves in W), so that a profile of the ×1000 case
// does not rebuild it each run.
func BenchmarkAnswerIndex(b *testing.B) {
	dir := os.Getenv("GOVBOT_BENCH_INDEX")
	if dir == "" {
		b.Skip("GOVBOT_BENCH_INDEX not set")
	}
	benchAsk(b, dir, Questions(filepath.Join(sharedtest.Dir(b), "eval"), dir))
}

func TestMedianBuild(t *testing.T) {
	runs := []*Result{{Build: 3 * time.Second, TextBytes: 6e6}, {Build: 2 * time.Second, TextBytes: 6e6}, {Build: 9 * time.Second, TextBytes: 6e6}}
	m := medianBuild(runs)
	if m.Build != 3*time.Second {
		t.Errorf("median build %v, want 3s", m.Build)
	}
	if want := []float64{2, 3, 6.0 / 9}; !slices.Equal(m.Builds, want) {
		t.Errorf("builds %v, want %v (every run, in order)", m.Builds, want)
	}
	if runs[0].Builds != nil {
		t.Error("medianBuild changed a run")
	}
}

package answer

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// tmpRoot holds the test indexes; TestMain removes it.
var tmpRoot string

// subsetFiles are the reports most tests run on: the county report, three
// national reports and two years of five provinces, enough for issuer and
// year scoping to matter while the index builds in a few seconds.
var subsetFiles = []string{
	"2024-fangxian-fzzf.txt",
	"2023-state-council-gwr.txt", "2024-state-council-gwr.txt", "2025-state-council-gwr.txt",
	"2025-hubei-gwr.txt", "2026-hubei-gwr.txt",
	"2025-beijing-gwr.txt", "2026-beijing-gwr.txt",
	"2025-neimenggu-gwr.txt", "2026-neimenggu-gwr.txt",
	"2025-guangdong-gwr.txt",
	"2025-heilongjiang-gwr.txt", "2026-shanghai-gwr.txt",
}

// engines are built once per test binary, on first use, as real on-disk
// indexes opened with Open.
var (
	subsetOnce, fullOnce sync.Once
	subsetEng, fullEng   *Engine
	subsetErr, fullErr   error
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "govbot-answer-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = dir
	code := m.Run()
	for _, e := range []*Engine{subsetEng, fullEng} {
		if e != nil {
			e.Close()
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildEngine indexes files (all when nil) of the shared reports folder,
// with their MANIFEST.tsv metadata, into dataDir and opens it.
func buildEngine(reportsDir, dataDir string, files []string) (*Engine, error) {
	var reps []*corpus.Report
	if files == nil {
		var errs []error
		reps, errs = corpus.LoadDir(reportsDir)
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
	} else {
		man, err := corpus.LoadManifest(filepath.Join(reportsDir, corpus.ManifestName))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			r, err := corpus.ParseFile(filepath.Join(reportsDir, f), man[f])
			if err != nil {
				return nil, err
			}
			reps = append(reps, r)
		}
	}
	if _, err := index.Update(context.Background(), dataDir, reps); err != nil {
		return nil, fmt.Errorf("index %s: %w", dataDir, err)
	}
	return Open(dataDir)
}

// subsetEngine returns the engine over subsetFiles.
func subsetEngine(tb testing.TB) *Engine {
	tb.Helper()
	dir := sharedtest.Reports(tb)
	subsetOnce.Do(func() {
		subsetEng, subsetErr = buildEngine(dir, filepath.Join(tmpRoot, "subset"), subsetFiles)
	})
	if subsetErr != nil {
		tb.Fatal(subsetErr)
	}
	return subsetEng
}

// fullEngine returns the engine over all of ../shared/reports.
func fullEngine(tb testing.TB) *Engine {
	tb.Helper()
	dir := sharedtest.Reports(tb)
	fullOnce.Do(func() {
		fullEng, fullErr = buildEngine(dir, filepath.Join(tmpRoot, "full"), nil)
	})
	if fullErr != nil {
		tb.Fatal(fullErr)
	}
	return fullEng
}

// sampleEngine opens the engine on the embedded default corpus, closed
// when the test ends, and returns it with its one report.
func sampleEngine(tb testing.TB) (*Engine, *corpus.Report) {
	tb.Helper()
	e, err := OpenDefault()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	r, err := e.ix.Report(e.Reports()[0].ID)
	if err != nil {
		tb.Fatal(err)
	}
	return e, r
}

func ask(t *testing.T, e *Engine, s *Session, q string) *Answer {
	t.Helper()
	a, err := e.AskIn(context.Background(), s, q)
	if err != nil {
		t.Fatalf("ask %q: %v", q, err)
	}
	return a
}

// checkGolden compares got with testdata/name.golden; -update rewrites it.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./answer -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("reply differs from %s (go test ./answer -update accepts it)\n--- got:\n%s\n--- want:\n%s", path, got, want)
	}
}

// describe is a one-line summary of an answer for failure messages.
func describe(a *Answer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "answered=%v", a.Answered)
	if a.Figure != nil {
		fmt.Fprintf(&b, " figure=%s", a.Figure.Text)
	}
	if len(a.Answers) > 0 {
		fmt.Fprintf(&b, " report=%s year=%d period=%s excerpt=%.80s", a.Answers[0].Report.ID, a.Answers[0].Year, a.Answers[0].Period, a.Answers[0].Excerpt)
	}
	if a.Reason != "" {
		fmt.Fprintf(&b, " reason=%s", a.Reason)
	}
	return b.String()
}

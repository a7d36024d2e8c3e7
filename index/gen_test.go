package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/govbot/govbot/corpus"
)

// TestReadersBesideBuilder opens the index read-only twice while a Builder
// writes the next generation: neither waits for the other (issue 13,
// defect 7: `govbot ask` beside a running server timed out on bleve's
// lock), and the readers see the old reports until the new generation is
// committed, then, after Refresh, the new ones.
func TestReadersBesideBuilder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Update(ctx, dir, []*corpus.Report{sampleReport()}); err != nil {
		t.Fatal(err)
	}
	server, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	var changes atomic.Int32
	server.OnChange(func() { changes.Add(1) })

	b, err := NewBuilder(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	third := parseTestReport("2024-third", "第三份报告\n推进一网通办改革。\n")
	if _, err := b.Add(ctx, third); err != nil {
		t.Fatal(err)
	}
	// A second reader while the server holds the index and the builder
	// writes: it must open at once and see the committed generation only.
	reader, err := Open(dir)
	if err != nil {
		t.Fatalf("open beside a server and a builder: %v", err)
	}
	if searchFinds(t, reader, "一网通办", "2024-third") || !searchFinds(t, reader, "行政复议案件", sampleReport().ID) {
		t.Error("a reader sees an uncommitted generation, or not the committed one")
	}
	reader.Close()
	// A second builder waits for the first (here: gives up when its
	// context ends).
	short, cancel := context.WithTimeout(ctx, 3*updateLockWait)
	if _, err := NewBuilder(short, dir, Options{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second builder: %v, want it to wait for the first", err)
	}
	cancel()
	if _, err := b.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if changed, err := server.Refresh(); err != nil || !changed {
		t.Fatalf("Refresh = %v, %v; want a switch to the new generation", changed, err)
	}
	if !searchFinds(t, server, "一网通办", "2024-third") || len(server.Reports()) != 2 {
		t.Errorf("after Refresh: %d reports, new report found %v", len(server.Reports()), searchFinds(t, server, "一网通办", "2024-third"))
	}
	if changes.Load() != 1 {
		t.Errorf("OnChange called %d times, want 1", changes.Load())
	}
	if gens, _ := generations(dir); len(gens) != 2 {
		t.Errorf("generations %v, want the new one and the one it replaced", gens)
	}
	// A third generation removes the first.
	if _, err := Update(ctx, dir, []*corpus.Report{parseTestReport("2024-fourth", "第四份报告\n建设智慧城市。\n")}); err != nil {
		t.Fatal(err)
	}
	if gens, _ := generations(dir); len(gens) != 2 || gens[0] != "gen-000002" {
		t.Errorf("generations %v, want gen-000002 and gen-000003", gens)
	}
	// The server still answers from the generation it holds until it
	// switches, then from the newest.
	if !searchFinds(t, server, "一网通办", "2024-third") {
		t.Error("the server lost its generation")
	}
	if _, err := server.Refresh(); err != nil || !searchFinds(t, server, "智慧城市", "2024-fourth") {
		t.Errorf("second Refresh: %v", err)
	}
}

// TestInterruptedFirstBuild: a first build that never committed (a crash)
// leaves no index that answers "no reports": Open says the build is
// incomplete, and the next build replaces the debris.
func TestInterruptedFirstBuild(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := NewBuilder(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(ctx, sampleReport()); err != nil {
		t.Fatal(err)
	}
	b.s.close() // killed: no Commit, no Abort
	b.unlock()
	_, err = Open(dir)
	if !errors.Is(err, ErrIncomplete) || errors.Is(err, ErrNoIndex) {
		t.Fatalf("Open after an interrupted first build: %v, want ErrIncomplete", err)
	}
	if !strings.Contains(err.Error(), "govbot index") {
		t.Errorf("error %q does not say what to do", err)
	}
	if _, err := Update(ctx, dir, []*corpus.Report{sampleReport()}); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !searchFinds(t, ix, "行政复议案件", sampleReport().ID) {
		t.Error("rebuilt index does not find the report")
	}
	if gens, _ := generations(dir); len(gens) != 1 {
		t.Errorf("generations %v: the debris of the interrupted build is still there", gens)
	}
}

// TestCrashBeforeSwitch: a build that is whole but killed before renaming
// DIR/current leaves the previous generation current.
func TestCrashBeforeSwitch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Update(ctx, dir, twoReports("积极推进城中村改造。")); err != nil {
		t.Fatal(err)
	}
	defer func() { testHookBeforeSwitch = nil }()
	testHookBeforeSwitch = func() { panic("killed") }
	func() {
		defer func() { recover() }()
		Update(ctx, dir, twoReports("全面推行带押过户。"))
	}()
	testHookBeforeSwitch = nil
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Generation() != "gen-000001" || searchFinds(t, ix, "带押过户", "2024-testcounty") || !searchFinds(t, ix, "城中村改造", "2024-testcounty") {
		t.Errorf("generation %s: the killed update shows", ix.Generation())
	}
}

// TestOldLayout: a data directory written before generations is read as it
// is, and the first update moves it into a generation.
func TestOldLayout(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := create(dir, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.add(ctx, []*corpus.Report{sampleReport()}); err != nil {
		t.Fatal(err)
	}
	s.close()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Generation() != "" || !searchFinds(t, ix, "行政复议案件", sampleReport().ID) {
		t.Errorf("old layout: generation %q", ix.Generation())
	}
	third := parseTestReport("2024-third", "第三份报告\n推进一网通办改革。\n")
	if _, err := ix.Add(ctx, third); err != nil {
		t.Fatal(err)
	}
	if ix.Generation() != "gen-000001" || !searchFinds(t, ix, "一网通办", "2024-third") || !searchFinds(t, ix, "行政复议案件", sampleReport().ID) {
		t.Errorf("after Add: generation %q, reports %d", ix.Generation(), len(ix.Reports()))
	}
	ix.Close()
	if _, err := Update(ctx, dir, []*corpus.Report{parseTestReport("2024-fourth", "第四份报告\n建设智慧城市。\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, bleveDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old layout's bleve folder left after two generations: %v", err)
	}
}

// TestReportCacheBounded loads every report of a small index through a
// cache bounded below their total: the cache stays within its bound and
// every report still loads, the same as through an unbounded cache.
func TestReportCacheBounded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	reports := append(twoReports("积极推进城中村改造。"), parseTestReport("2024-third", "第三份报告\n推进一网通办改革。\n"))
	if _, err := Update(ctx, dir, reports); err != nil {
		t.Fatal(err)
	}
	full, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	var total int64
	for _, r := range reports {
		if _, err := full.Report(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	n, total := full.st().cache.size()
	if n != len(reports) {
		t.Fatalf("unbounded cache holds %d reports, want %d", n, len(reports))
	}
	bound := total / 2
	small, err := OpenWith(dir, Options{ReportCacheBytes: bound})
	if err != nil {
		t.Fatal(err)
	}
	defer small.Close()
	for range 3 {
		for _, r := range reports {
			got, err := small.Report(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := full.Report(r.ID)
			if len(got.Paragraphs) != len(want.Paragraphs) || got.Paragraphs[len(got.Paragraphs)-1].Text != want.Paragraphs[len(want.Paragraphs)-1].Text {
				t.Errorf("report %s differs through the bounded cache", r.ID)
			}
			if n, size := small.st().cache.size(); size > bound && n > 1 {
				t.Errorf("cache holds %d reports, %d bytes, over its bound %d", n, size, bound)
			}
		}
	}
}

// TestUnchangedUpdateKeepsGeneration: an update that changes nothing makes
// no new generation (a running server has nothing to switch to).
func TestUnchangedUpdateKeepsGeneration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for range 2 {
		if _, err := Update(ctx, dir, []*corpus.Report{sampleReport()}); err != nil {
			t.Fatal(err)
		}
	}
	if gens, _ := generations(dir); len(gens) != 1 || gens[0] != "gen-000001" {
		t.Errorf("generations after an unchanged update: %v, want gen-000001 only", gens)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Remove(ctx, "no-such-report"); err != nil || ix.Generation() != "gen-000001" {
		t.Errorf("removing an unknown report: %v, generation %s", err, ix.Generation())
	}
}

// TestOnChangeAfterAdd checks that Add and Remove through an index run its
// OnChange functions before they return, on disk and in memory, and only
// while they are registered.
func TestOnChangeAfterAdd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Update(ctx, dir, []*corpus.Report{sampleReport()}); err != nil {
		t.Fatal(err)
	}
	onDisk, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer onDisk.Close()
	inMemory, err := OpenMemory([]*corpus.Report{sampleReport()})
	if err != nil {
		t.Fatal(err)
	}
	defer inMemory.Close()
	for name, ix := range map[string]*Index{"on disk": onDisk, "in memory": inMemory} {
		var seen []int
		stop := ix.OnChange(func() { seen = append(seen, len(ix.Reports())) })
		added := parseTestReport("2024-added", "新增报告\n推进一网通办改革。\n")
		if _, err := ix.Add(ctx, added); err != nil {
			t.Fatal(err)
		}
		if _, err := ix.Add(ctx, added); err != nil { // unchanged: no call
			t.Fatal(err)
		}
		if err := ix.Remove(ctx, added.ID); err != nil {
			t.Fatal(err)
		}
		stop()
		if _, err := ix.Add(ctx, added); err != nil {
			t.Fatal(err)
		}
		if want := []int{2, 1}; !slices.Equal(seen, want) {
			t.Errorf("%s: OnChange saw %v reports, want %v", name, seen, want)
		}
	}
}

package builtin

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/sharedtest"
)

// TestArchiveMatchesShared checks that the committed archive holds exactly
// the files of ../shared/reports: regenerate it (go generate
// ./corpus/builtin) when they change.
func TestArchiveMatchesShared(t *testing.T) {
	dir := sharedtest.Reports(t)
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".txt") && name != corpus.ManifestName {
			continue
		}
		n++
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := files[name]; !ok {
			t.Errorf("%s missing from the archive: run go generate ./corpus/builtin", name)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s: run go generate ./corpus/builtin", name, dir)
		}
	}
	if len(files) != n {
		t.Errorf("archive has %d files, %s has %d: run go generate ./corpus/builtin", len(files), dir, n)
	}
}

// TestReports parses the built-in collection without ../shared: every
// report with its manifest's metadata.
func TestReports(t *testing.T) {
	reports, err := Reports()
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) < 100 {
		t.Fatalf("%d reports", len(reports))
	}
	byID := map[string]*corpus.Report{}
	for _, r := range reports {
		if r.Title == "" || r.Issuer == "" || r.Year == 0 {
			t.Errorf("%s: title %q issuer %q year %d", r.ID, r.Title, r.Issuer, r.Year)
		}
		byID[r.ID] = r
	}
	if r := byID["2025-state-council-gwr"]; r == nil || r.Issuer != "国务院" || r.Year != 2025 {
		t.Errorf("2025 State Council report: %+v", r)
	}
}

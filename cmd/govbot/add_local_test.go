package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

// copyAlone copies src into a fresh folder of its own, so that no manifest
// is beside it, and returns the copy's path.
func copyAlone(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func indexedReport(t *testing.T, dir, id string) *corpus.Report {
	t.Helper()
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	r, err := ix.Report(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestAddLocalReports adds each report of ../shared/reports-local as an
// operator would, without flags and without its manifest, and checks that
// the text alone gives the title, issuer and date its manifest records
// (the date where the text states one), and that add says on stderr what
// it could not determine.
func TestAddLocalReports(t *testing.T) {
	local := sharedtest.LocalReports(t)
	manifest, err := corpus.LoadManifest(filepath.Join(local, corpus.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file      string
		published time.Time // the date the text states
		warn      string    // what add says it could not determine
	}{
		{"2025-shenzhen-gwr.txt", time.Time{}, "date (only the year 2025)"},
		{"2024-shenzhen-gwr.txt", time.Time{}, "date (only the year 2024)"},
		{"2025-luohu-gwr.txt", time.Time{}, "date (only the year 2025)"},
		{"2025-yixian-gwr.txt", time.Date(2025, 1, 14, 0, 0, 0, 0, time.UTC), ""},
		{"2025-laiyuan-gwr.txt", time.Date(2025, 1, 14, 0, 0, 0, 0, time.UTC), ""},
		{"2019-longhua-fzzf.txt", time.Date(2019, 12, 18, 0, 0, 0, 0, time.UTC), ""},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			want := manifest[tt.file]
			code, out, errOut := govbot(t, dir, "add", "--no-announce", copyAlone(t, filepath.Join(local, tt.file)))
			if code != 0 {
				t.Fatalf("exit %d: %s%s", code, out, errOut)
			}
			id := strings.TrimSuffix(tt.file, ".txt")
			if !strings.HasPrefix(out, "added "+id+": "+want.Title+" ("+want.Issuer) {
				t.Errorf("stdout %q, want it to name %s %s", out, want.Title, want.Issuer)
			}
			r := indexedReport(t, dir, id)
			if r.Title != want.Title || r.Issuer != want.Issuer || r.Year != want.Year || !r.Published.Equal(tt.published) {
				t.Errorf("indexed %q %q %d %v, want %q %q %d %v", r.Title, r.Issuer, r.Year, r.Published, want.Title, want.Issuer, want.Year, tt.published)
			}
			switch {
			case tt.warn == "" && errOut != "":
				t.Errorf("stderr %q, want nothing", errOut)
			case tt.warn != "" && (!strings.Contains(errOut, tt.warn) || !strings.Contains(errOut, "--date YYYY-MM-DD")):
				t.Errorf("stderr %q, want it to say %q and how to set it", errOut, tt.warn)
			}
		})
	}
}

// TestAddCorrectsMetadata adds a report, then the same text with flags: a
// metadata-only change is a new revision; the same again changes nothing.
// A manifest beside a file supplies its metadata.
func TestAddCorrectsMetadata(t *testing.T) {
	local := sharedtest.LocalReports(t)
	dir := t.TempDir()
	file := copyAlone(t, filepath.Join(local, "2025-luohu-gwr.txt"))
	steps := []struct {
		args []string
		out  string
		err  string
	}{
		{[]string{"add", "--no-announce", file}, "added 2025-luohu-gwr: 2025年深圳市罗湖区政府工作报告 (深圳市罗湖区人民政府", "could not determine the date"},
		{[]string{"add", "--no-announce", "--date", "2025-01-07", "--issuer", "罗湖区人民政府", file},
			"updated 2025-luohu-gwr (same text, revision 2): issuer: 深圳市罗湖区人民政府 → 罗湖区人民政府; date: (none) → 2025-01-07", ""},
		{[]string{"add", "--no-announce", file}, "already indexed as 2025-luohu-gwr (same text); nothing changed", ""},
		{[]string{"add", "--no-announce", "--title", "罗湖区2025年政府工作报告", file}, "updated 2025-luohu-gwr (same text, revision 3): title: 2025年深圳市罗湖区政府工作报告 → 罗湖区2025年政府工作报告", ""},
	}
	for i, s := range steps {
		code, out, errOut := govbot(t, dir, s.args...)
		if code != 0 || !strings.Contains(out, s.out) || s.err == "" && errOut != "" || !strings.Contains(errOut, s.err) {
			t.Errorf("step %d %q: exit %d\nstdout %q\nstderr %q\nwant stdout with %q, stderr with %q", i, s.args, code, out, errOut, s.out, s.err)
		}
	}
	r := indexedReport(t, dir, "2025-luohu-gwr")
	if r.Issuer != "罗湖区人民政府" || !r.Published.Equal(time.Date(2025, 1, 7, 0, 0, 0, 0, time.UTC)) || r.Title != "罗湖区2025年政府工作报告" {
		t.Errorf("indexed %q %q %v", r.Title, r.Issuer, r.Published)
	}

	// A manifest beside the file.
	withManifest := filepath.Join(t.TempDir(), "2025-yixian-gwr.txt")
	b, err := os.ReadFile(filepath.Join(local, "2025-yixian-gwr.txt"))
	if err != nil {
		t.Fatal(err)
	}
	man := "file\ttitle\tissuer\tdate\tsource\turl\n2025-yixian-gwr.txt\t易县政府工作报告（2025）\t保定市易县人民政府\t2025-01-14\tscraped\thttps://www.example.gov.cn/yx/2025.html\n"
	if err := os.WriteFile(withManifest, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(withManifest), corpus.ManifestName), []byte(man), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := govbot(t, dir, "add", "--no-announce", withManifest); code != 0 || !strings.Contains(out, "added 2025-yixian-gwr: 易县政府工作报告（2025） (保定市易县人民政府") {
		t.Errorf("add beside a manifest: exit %d %q %q", code, out, errOut)
	}
	r = indexedReport(t, dir, "2025-yixian-gwr")
	if r.URL != "https://www.example.gov.cn/yx/2025.html" || r.Source != "scraped" {
		t.Errorf("url %q source %q", r.URL, r.Source)
	}
}

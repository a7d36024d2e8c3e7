package corpus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/internal/sharedtest"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestLoadManifest(t *testing.T) {
	m, err := LoadManifest(filepath.Join("testdata", "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(m), m)
	}
	hubei := m["2025-hubei-gwr.txt"]
	if hubei.Title != "2025年湖北省政府工作报告" || hubei.Issuer != "湖北省人民政府" || hubei.Year != 2025 ||
		!hubei.Published.Equal(date(2025, 1, 16)) || hubei.URL != "https://example.org/2025-hubei" || hubei.Source != "" {
		t.Errorf("hubei: %+v", hubei)
	}
	sc := m["2025-state-council-gwr.txt"]
	if sc.Issuer != "国务院" || !sc.Published.IsZero() || sc.URL != "" || sc.Source != "corpus:gwr.jsonl (orig. https://example.org/x)" {
		t.Errorf("state council: %+v", sc)
	}
}

func TestParseManifestErrors(t *testing.T) {
	tests := []struct{ name, data string }{
		{"no header", ""},
		{"no file column", "title\tyear\nx\t2025\n"},
		{"bad year", "file\tyear\na.txt\tMMXXV\n"},
		{"bad date", "file\tdate\na.txt\t2025-02-30\n"},
		{"duplicate", "file\na.txt\na.txt\n"},
		{"empty file", "file\ttitle\n\tx\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, err := ParseManifest([]byte(tt.data)); err == nil {
				t.Errorf("parseManifest = %+v, want error", m)
			}
		})
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(sample.Fangxian)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"a.txt":    sample.Fangxian,
		"b.txt":    nil,                      // empty: an error, the others still load
		"c.TXT":    gb,                       // GB18030, upper-case extension
		"notes.md": []byte("# not a report"), // ignored
		ManifestName: []byte("file\ttitle\tissuer\tyear\tdate\tsource\n" +
			"a.txt\t标题甲\t\t2030\t\thttps://example.org/a\n" +
			"c.TXT\t\t\t\t2024-03-01\tlocal copy\n" +
			"missing.txt\t缺失\t\t\t\t\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reports, errs := LoadDir(dir)
	if len(reports) != 2 || reports[0].ID != "a" || reports[1].ID != "c" {
		t.Fatalf("reports %v", reports)
	}
	if len(errs) != 2 || !errors.Is(errs[0], ErrEmpty) || !strings.Contains(errs[0].Error(), "b.txt") ||
		!errors.Is(errs[1], fs.ErrNotExist) || !strings.Contains(errs[1].Error(), "missing.txt") {
		t.Fatalf("errors %v", errs)
	}
	a, c := reports[0], reports[1]
	// The manifest overrides the text where it says something.
	if a.Title != "标题甲" || a.Year != 2030 || a.URL != "https://example.org/a" || a.Issuer != "房县人民政府" ||
		!a.Published.Equal(date(2024, 2, 28)) {
		t.Errorf("a: %+v", a)
	}
	if c.Title != "房县人民政府关于2023年度法治政府建设工作报告" || !c.Published.Equal(date(2024, 3, 1)) || c.Year != 2024 || c.Source != "local copy" {
		t.Errorf("c: %+v", c)
	}
	if len(a.Paragraphs) != len(c.Paragraphs) || a.Paragraphs[15].Text != c.Paragraphs[15].Text {
		t.Errorf("GB18030 copy parsed differently")
	}
}

// TestManifestURLColumn checks that the url column is the link and the
// source column stays a provenance note, whatever their order.
func TestManifestURLColumn(t *testing.T) {
	tests := []struct {
		name, data, url, source string
	}{
		{"url and note", "file\tsource\turl\na.txt\tcorpus:x.jsonl (orig. https://a.example/1)\thttps://a.example/1\n", "https://a.example/1", "corpus:x.jsonl (orig. https://a.example/1)"},
		{"url first, empty source", "url\tfile\tsource\nhttps://a.example/2\ta.txt\t\n", "https://a.example/2", ""},
		{"empty url, note only", "file\tsource\turl\na.txt\tscraped from 中国县域\t\n", "", "scraped from 中国县域"},
		{"no url column, URL source", "file\tsource\na.txt\thttps://a.example/3\n", "https://a.example/3", ""},
		{"url column not a link", "file\tsource\turl\na.txt\tnote\tsee note\n", "", "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseManifest([]byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := m["a.txt"]; got.URL != tt.url || got.Source != tt.source {
				t.Errorf("URL %q Source %q, want %q %q", got.URL, got.Source, tt.url, tt.source)
			}
		})
	}
}

// TestSharedManifestURLs checks that every shared report with a url in its
// manifest is loaded with that link.
func TestSharedManifestURLs(t *testing.T) {
	dir := sharedtest.Reports(t)
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(data)), "\n")
	cols := strings.Split(rows[0], "\t")
	fileCol, urlCol := slices.Index(cols, "file"), slices.Index(cols, "url")
	if urlCol < 0 {
		t.Skip("manifest has no url column")
	}
	want := map[string]string{}
	for _, row := range rows[1:] {
		f := strings.Split(row, "\t")
		if urlCol < len(f) && f[urlCol] != "" {
			want[strings.TrimSuffix(f[fileCol], ".txt")] = f[urlCol]
		}
	}
	reports, errs := LoadDir(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	n := 0
	for _, r := range reports {
		if u, ok := want[r.ID]; ok {
			n++
			if r.URL != u {
				t.Errorf("%s: URL %q, want %q", r.ID, r.URL, u)
			}
		}
	}
	if n != len(want) || n == 0 {
		t.Errorf("%d reports with a url, manifest has %d", n, len(want))
	}
}

package index

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/corpus/sample"
	"github.com/govbot/govbot/internal/sharedtest"
)

// The tests build reports with this small stand-in parser so that package
// index is tested on its own, whatever state the corpus parser is in: every
// non-empty line is a paragraph unless it is a numbered heading.
var headingRes = []*regexp.Regexp{
	regexp.MustCompile(`^[一二三四五六七八九十]+、`),
	regexp.MustCompile(`^[（(][一二三四五六七八九十]+[）)]`),
}

func parseTestReport(id, text string) *corpus.Report {
	r := &corpus.Report{Meta: corpus.Meta{ID: id}}
	if y, err := strconv.Atoi(strings.SplitN(id, "-", 2)[0]); err == nil {
		r.Year = y
	}
	var path []corpus.Heading
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if r.Title == "" {
			r.Title = line
			continue
		}
		level := 0
		for i, re := range headingRes {
			if re.MatchString(line) && len([]rune(line)) < 60 {
				level = i + 1
			}
		}
		if level > 0 {
			for len(path) > 0 && path[len(path)-1].Level >= level {
				path = path[:len(path)-1]
			}
			path = append(path, corpus.Heading{Level: level, Text: line})
			continue
		}
		seq := len(r.Paragraphs) + 1
		r.Paragraphs = append(r.Paragraphs, corpus.Paragraph{
			ID:   id + "#p" + strconv.Itoa(seq),
			Seq:  seq,
			Path: append([]corpus.Heading(nil), path...),
			Text: line,
		})
	}
	return r
}

func sampleReport() *corpus.Report {
	return parseTestReport(strings.TrimSuffix(sample.FileName, ".txt"), string(sample.Fangxian))
}

// sharedReports loads every report of the shared corpus with the real
// parser (corpus.LoadDir, manifest metadata applied), returning them and the
// total size of the report files in bytes.
func sharedReports(tb testing.TB) ([]*corpus.Report, int64) {
	tb.Helper()
	dir := sharedtest.Reports(tb)
	reports, errs := corpus.LoadDir(dir)
	for _, err := range errs {
		tb.Errorf("corpus.LoadDir: %v", err)
	}
	if len(reports) == 0 {
		tb.Fatalf("no reports loaded from %s", dir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var size int64
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			tb.Fatal(err)
		}
		size += st.Size()
	}
	return reports, size
}

// findParagraph returns the ID of the first paragraph of r containing s.
func findParagraph(tb testing.TB, r *corpus.Report, s string) string {
	tb.Helper()
	for _, p := range r.Paragraphs {
		if strings.Contains(p.Text, s) {
			return p.ID
		}
	}
	tb.Fatalf("report %s has no paragraph containing %q", r.ID, s)
	return ""
}

type (
	analysisToken = analysis.Token
	searchHit     = search.DocumentMatch
)

// indexReader returns a reader of ix's current bleve index, for the
// caller to close before ix.
func indexReader(t *testing.T, ix *Index) bindex.IndexReader {
	t.Helper()
	adv, err := ix.st().bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

package index

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
)

// TestReportFileParagraphs: a chunked report file gives back the whole
// report, and each paragraph read alone from its chunk, as they were
// written, whether a chunk holds one paragraph or all of them; paragraphs
// whose IDs are not their ordinals are found through the whole report.
func TestReportFileParagraphs(t *testing.T) {
	renumbered := sampleReport()
	renumbered.Paragraphs[0].ID = renumbered.ID + "#intro"
	tests := []struct {
		name       string
		r          *corpus.Report
		chunkBytes int
		wantSeq    bool
	}{
		{"one chunk", sampleReport(), 1 << 30, true},
		{"a chunk per paragraph", sampleReport(), 1, true},
		{"a few chunks", sampleReport(), 2 << 10, true},
		{"IDs not ordinals", renumbered, 2 << 10, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func(n int) { chunkBytes = n }(chunkBytes)
			chunkBytes = tt.chunkBytes
			dir := t.TempDir()
			if _, err := Update(context.Background(), dir, []*corpus.Report{tt.r}); err != nil {
				t.Fatal(err)
			}
			ix, err := OpenWith(dir, Options{ReportCacheBytes: 1}) // nothing stays cached
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			s := ix.st()
			h, err := s.head(tt.r.ID)
			if err != nil || h == nil {
				t.Fatalf("head: %v, %v", h, err)
			}
			if h.BySeq != tt.wantSeq {
				t.Errorf("BySeq %v, want %v", h.BySeq, tt.wantSeq)
			}
			for i := range tt.r.Paragraphs {
				want := &tt.r.Paragraphs[i]
				rep, p, err := ix.Paragraph(docID(tt.r, want))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(p, want) {
					t.Errorf("paragraph %d differs: %+v, want %+v", i, p, want)
				}
				if rep.ID != tt.r.ID || !reflect.DeepEqual(rep.Headings, tt.r.Headings) {
					t.Errorf("paragraph %d's report is %s with %d headings, want %s with %d", i, rep.ID, len(rep.Headings), tt.r.ID, len(tt.r.Headings))
				}
			}
			got, err := ix.Report(tt.r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.r) {
				t.Error("whole report read back differs")
			}
		})
	}
}

// TestReportFileOldKind: a catalog file of the kind written before chunked
// files (zstd JSON of the whole report) is still read.
func TestReportFileOldKind(t *testing.T) {
	r := sampleReport()
	dir, path := indexOne(t, r)
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if data, err = compressBytes(data); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	want := &r.Paragraphs[len(r.Paragraphs)-1]
	if _, p, err := ix.Paragraph(docID(r, want)); err != nil || !reflect.DeepEqual(p, want) {
		t.Errorf("paragraph from an old file: %+v, %v; want %+v", p, err, want)
	}
}

// TestParagraphCachedAlone: a paragraph read from a chunked file is cached
// by itself, not with its chunk: read again once the file is gone, it comes
// from the cache, while its neighbour in the same chunk, never read, is not
// there to be found.
func TestParagraphCachedAlone(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 1 << 30 // one chunk holds every paragraph
	r := sampleReport()
	if len(r.Paragraphs) < 2 {
		t.Fatalf("sample report has %d paragraphs, want 2 or more", len(r.Paragraphs))
	}
	dir, path := indexOne(t, r)
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	first, second := &r.Paragraphs[0], &r.Paragraphs[1]
	if _, p, err := ix.Paragraph(docID(r, first)); err != nil || !reflect.DeepEqual(p, first) {
		t.Fatalf("first paragraph: %+v, %v", p, err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, p, err := ix.Paragraph(docID(r, first)); err != nil || !reflect.DeepEqual(p, first) {
		t.Errorf("first paragraph again, file gone: %+v, %v; want it from the cache", p, err)
	}
	if _, _, err := ix.Paragraph(docID(r, second)); err == nil {
		t.Error("second paragraph found with its file gone: the whole chunk was cached")
	}
}

// TestReportFileCorrupt: a damaged chunked report file gives an error that
// names the file, for a paragraph read alone and for the whole report, and
// never a panic or a wrong paragraph.
func TestReportFileCorrupt(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 2 << 10 // several chunks
	r := sampleReport()
	tests := []struct {
		name   string
		damage func(data []byte) []byte
	}{
		{"magic alone", func(d []byte) []byte { return d[:len(reportFileMagic)] }},
		{"head length unreadable", func(d []byte) []byte {
			return append([]byte(reportFileMagic), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
		}},
		{"head length past the end", func(d []byte) []byte {
			return append([]byte(reportFileMagic), 0xff, 0xff, 0x03)
		}},
		{"head garbled", func(d []byte) []byte {
			out := append([]byte(nil), d...)
			for i := len(reportFileMagic) + 2; i < len(reportFileMagic)+40; i++ {
				out[i] ^= 0x5a
			}
			return out
		}},
		{"chunks cut off", func(d []byte) []byte { return d[:len(d)-len(d)/3] }},
		{"chunks garbled", func(d []byte) []byte {
			out := append([]byte(nil), d...)
			for i := len(out) - len(out)/3; i < len(out); i++ {
				out[i] ^= 0x5a
			}
			return out
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, path := indexOne(t, r)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.damage(data), 0o600); err != nil {
				t.Fatal(err)
			}
			ix, err := OpenWith(dir, Options{ReportCacheBytes: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			last := &r.Paragraphs[len(r.Paragraphs)-1]
			if _, p, err := ix.Paragraph(docID(r, last)); err == nil {
				if !reflect.DeepEqual(p, last) {
					t.Errorf("paragraph from a damaged file: %+v, want %+v or an error", p, last)
				}
			} else if !strings.Contains(err.Error(), catalogFileName(r.ID)) {
				t.Errorf("paragraph error %q does not name the file", err)
			}
			if _, err := ix.Report(r.ID); err == nil {
				t.Error("whole report read from a damaged file without an error")
			} else if !strings.Contains(err.Error(), catalogFileName(r.ID)) {
				t.Errorf("report error %q does not name the file", err)
			}
		})
	}
}

// TestReportFileGobChunks: a chunked report file written before the
// paragraph tables (its chunks gob-encoded; testdata/gob-chunks.report,
// written by that code from the Fangxian sample) is still read, whole and
// a paragraph at a time, as the report it was written from.
func TestReportFileGobChunks(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "gob-chunks.report"))
	if err != nil {
		t.Fatal(err)
	}
	if chunked, gobChunks := chunkedFile(data); !chunked || !gobChunks {
		t.Fatalf("chunkedFile = %v, %v; want a chunked file of gob chunks", chunked, gobChunks)
	}
	wantJSON, err := os.ReadFile(filepath.Join("testdata", "gob-chunks.want.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want corpus.Report
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	got, _, err := readReportFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("whole report differs from the one written")
	}
	h, err := readHead(path)
	if err != nil || h == nil || !h.gobChunks || len(h.Firsts) < 2 {
		t.Fatalf("head: %+v, %v; want several gob chunks", h, err)
	}
	for i := range want.Paragraphs {
		k := h.chunkOf(i)
		c, err := h.readChunk(k)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := c.paragraph(i - h.Firsts[k])
		c.release()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, &want.Paragraphs[i]) {
			t.Errorf("paragraph %d: %+v, want %+v", i+1, p, want.Paragraphs[i])
		}
	}
}

// TestChunkTable: a chunk's paragraphs are decoded one at a time, so a
// paragraph reads even when another of its chunk is damaged; a table that
// does not add up is an error, never a panic or another paragraph.
func TestChunkTable(t *testing.T) {
	ps := sampleReport().Paragraphs[:3]
	good, err := encodeChunk(ps)
	if err != nil {
		t.Fatal(err)
	}
	// The table's head (the count and the lengths) comes before the
	// paragraphs' JSON.
	head := len(good)
	for i := range ps {
		head -= len(mustJSON(t, &ps[i]))
	}
	tests := []struct {
		name  string
		table []byte
		ok    []bool // which paragraphs decode
		bad   bool   // the table itself is refused
	}{
		{"whole", good, []bool{true, true, true}, false},
		{"second paragraph garbled", garble(good, head+len(mustJSON(t, &ps[0]))+3), []bool{true, false, true}, false},
		{"empty", nil, nil, true},
		{"count past the data", append([]byte{0xff, 0xff, 0x03}, good[1:]...), nil, true},
		{"cut short", good[:len(good)-5], nil, true},
		{"bytes after the last", append(append([]byte(nil), good...), '}'), nil, true},
		{"lengths cut off", good[:2], nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := compressBytes(tt.table)
			if err != nil {
				t.Fatal(err)
			}
			c, err := decodeChunk(z, false)
			if tt.bad {
				if err == nil {
					c.release()
					t.Fatal("table accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.release()
			for i, ok := range tt.ok {
				p, _, err := c.paragraph(i)
				switch {
				case ok && err != nil:
					t.Errorf("paragraph %d: %v", i, err)
				case ok && !reflect.DeepEqual(p, &ps[i]):
					t.Errorf("paragraph %d: %+v, want %+v", i, p, ps[i])
				case !ok && err == nil:
					t.Errorf("paragraph %d decoded from garbage: %+v", i, p)
				}
			}
			if _, _, err := c.paragraph(len(tt.ok)); err == nil {
				t.Error("a paragraph past the table decoded")
			}
		})
	}
}

// garble returns data with the byte at i replaced by one no JSON value
// holds there.
func garble(data []byte, i int) []byte {
	out := append([]byte(nil), data...)
	out[i] = 0x01
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestParagraphsAsParagraph: Paragraphs gives for each ID what Paragraph
// gives (the paragraph and its report, or the same error), whether the
// chunks are read ahead in parallel or the cache keeps nothing, for IDs
// repeated, of several chunks of one report, of a report whose paragraphs
// are not found by ordinal, and of none.
func TestParagraphsAsParagraph(t *testing.T) {
	defer func(n int) { chunkBytes = n }(chunkBytes)
	chunkBytes = 2 << 10 // several chunks
	a := sampleReport()
	b := parseTestReport("2023-other", "另一份报告\n一、行政复议\n行政复议案件办理12件，行政执法规范化。\n二、执法\n执法检查30次。\n")
	renumbered := parseTestReport("2022-renumbered", "第三份报告\n一、概况\n全年办理案件8件。\n")
	renumbered.Paragraphs[0].ID = renumbered.ID + "#intro"
	dir := t.TempDir()
	if _, err := Update(context.Background(), dir, []*corpus.Report{a, b, renumbered}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range []*corpus.Report{a, b, renumbered} {
		for i := range r.Paragraphs {
			ids = append(ids, docID(r, &r.Paragraphs[i]))
		}
	}
	ids = append(ids, ids[0], ids[len(ids)/2], a.ID+"#p9999", "2099-none#p1", "no-hash")
	for _, cacheBytes := range []int64{0, 1} {
		t.Run(fmt.Sprint(cacheBytes), func(t *testing.T) {
			ix, err := OpenWith(dir, Options{ReportCacheBytes: cacheBytes})
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			got := ix.Paragraphs(ids)
			if len(got) != len(ids) {
				t.Fatalf("%d reads for %d IDs", len(got), len(ids))
			}
			for i, id := range ids {
				rep, p, err := ix.Paragraph(id)
				g := got[i]
				if (err == nil) != (g.Err == nil) || err != nil && err.Error() != g.Err.Error() {
					t.Errorf("%s: error %v, Paragraph's %v", id, g.Err, err)
					continue
				}
				if !reflect.DeepEqual(g.Paragraph, p) || g.Report != nil && rep != nil && g.Report.ID != rep.ID || (g.Report == nil) != (rep == nil) {
					t.Errorf("%s: %+v of %v, Paragraph's %+v of %v", id, g.Paragraph, g.Report, p, rep)
				}
			}
		})
	}
}

// indexOne indexes r alone into a new data directory; it returns the
// directory and the path of r's catalog file.
func indexOne(t *testing.T, r *corpus.Report) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	if _, err := Update(context.Background(), dir, []*corpus.Report{r}); err != nil {
		t.Fatal(err)
	}
	gdir, err := CurrentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(gdir, catalogDir, catalogFileName(r.ID))
}

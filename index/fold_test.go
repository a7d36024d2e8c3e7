package index

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestTraditionalFoldsToSimplified: the analysis folds traditional
// characters to simplified ones, so a question in either script finds a
// text in the other, with the tokens' offsets in the text as written.
func TestTraditionalFoldsToSimplified(t *testing.T) {
	tests := []struct{ text, query string }{
		{"鋼二百十七萬噸，原煤八千一百九十九萬噸。", "钢 万吨"},
		{"一九五四年預計産量來同一九四九年産量比較一下", "预计产量"},
		{"钢产量达到5205万吨", "鋼產量"},
	}
	for _, tt := range tests {
		terms := Cut(tt.text)
		for _, q := range Terms(tt.query) {
			if !slices.Contains(terms, q) {
				t.Errorf("Cut(%q) = %v: no %q of %q", tt.text, terms, q, tt.query)
			}
		}
		for _, tok := range tokenize([]byte(tt.text)) {
			if tok.Start < 0 || tok.End > len(tt.text) || tok.Start >= tok.End {
				t.Errorf("%q: token %q at %d:%d outside the text", tt.text, tok.Term, tok.Start, tok.End)
			}
		}
	}
}

// TestUpdateReanalysesOldIndex: a report indexed with an older analysis
// (a catalog entry without the current analysis version) is indexed again
// by the next update although its content is unchanged, and only once.
func TestUpdateReanalysesOldIndex(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	reports := twoReports("鋼産量二百十七萬噸。")
	if _, err := Update(ctx, dir, reports); err != nil {
		t.Fatal(err)
	}
	// Write the catalog as an index of analysis version 1 has it (in the
	// current generation): a version 1 JSON list.
	gdir, err := CurrentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := readCatalog(gdir)
	if err != nil {
		t.Fatal(err)
	}
	cf := catalogFile{Version: 1}
	for _, e := range entries {
		e.Analysis = 0
		cf.Reports = append(cf.Reports, e)
	}
	data, err := json.Marshal(cf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(gdir, catalogDir, catalogListJSON), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(gdir, catalogDir, catalogList)); err != nil {
		t.Fatal(err)
	}
	st, err := Update(ctx, dir, reports)
	if err != nil {
		t.Fatal(err)
	}
	if st.Updated != len(reports) || st.Unchanged != 0 {
		t.Errorf("update of an old index: %+v, want %d updated", st, len(reports))
	}
	// The update rewrote the list in the current format.
	if gdir, err = CurrentDir(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gdir, catalogDir, catalogListJSON)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("version 1 catalog list left after the update: %v", err)
	}
	st, err = Update(ctx, dir, reports)
	if err != nil {
		t.Fatal(err)
	}
	if st.Updated != 0 || st.Unchanged != len(reports) {
		t.Errorf("second update: %+v, want %d unchanged", st, len(reports))
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !searchFinds(t, ix, "钢产量", "2024-testcounty") {
		t.Error("traditional text not found by a simplified question")
	}
}

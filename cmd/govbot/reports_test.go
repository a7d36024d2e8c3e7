package main

import (
	"strings"
	"testing"
)

// TestWriteTableAlignsChinese: the column after a cell of Chinese text
// starts at the same terminal column on every row.
func TestWriteTableAlignsChinese(t *testing.T) {
	var b strings.Builder
	rows := [][]string{{"ISSUER", "TITLE"}, {"房县人民政府", "报告甲"}, {"内蒙古自治区人民政府", "报告乙"}, {"abc", "报告丙"}}
	if err := writeTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(rows) {
		t.Fatalf("%d lines for %d rows:\n%s", len(lines), len(rows), b.String())
	}
	want := -1
	for i, l := range lines {
		col := displayWidth(l[:strings.Index(l, rows[i][1])])
		if want < 0 {
			want = col
		}
		if col != want {
			t.Errorf("row %d: second column starts at display column %d, want %d:\n%s", i, col, want, b.String())
		}
	}
	if w := displayWidth("房县 ab１"); w != 2+2+1+2+2 {
		t.Errorf("displayWidth = %d, want 9", w)
	}
}

package answer

import (
	"slices"
	"strings"
	"testing"
)

// TestDecimalCodesStayWhole: PM2.5, however written, is one question
// term in the forms the reports use, never PM2.
func TestDecimalCodesStayWhole(t *testing.T) {
	e := subsetEngine(t)
	for _, raw := range []string{"PM2.5浓度下降了多少", "pm2.5平均浓度是多少", "ＰＭ２．５年均浓度多少", "去年PM2.5咋样"} {
		q := parseQuestion(raw, nil)
		terms := questionTerms(&e.dfs, q.content)
		found := false
		for _, tm := range terms {
			if slices.Contains(tm.alts, "PM2.5") {
				found = true
			}
			for _, a := range tm.alts {
				if strings.EqualFold(a, "pm2") {
					t.Errorf("%s: term %v cuts PM2.5 at the point", raw, tm.alts)
				}
			}
		}
		if !found {
			t.Errorf("%s: no term PM2.5 among %v", raw, terms)
		}
	}
}

// TestTraditionalQuestionsAndReports: a question in simplified characters
// finds the 1954 report's traditional text, a question in traditional
// characters finds it too, and the excerpt shows the text as written.
func TestTraditionalQuestionsAndReports(t *testing.T) {
	e := fullEngine(t)
	tests := []struct{ q, figure, excerpt string }{
		{"一九五四年原煤产量预计多少", "八千一百九十九萬噸", "原煤八千一百九十九萬噸"},
		{"1954年水泥产量预计多少万吨", "四百七十三萬噸", "水泥四百七十三萬噸"},
		{"1954年生鐵産量預計多少", "三百零三萬噸", "生鐵三百零三萬噸"},
		{"54年原煤预计产量有多少", "八千一百九十九萬噸", "原煤八千一百九十九萬噸"},
	}
	for _, tt := range tests {
		a := ask(t, e, nil, tt.q)
		if !a.Answered || a.Figure == nil || a.Figure.Text != tt.figure || len(a.Answers) == 0 || !strings.Contains(a.Answers[0].Excerpt, tt.excerpt) {
			t.Errorf("%s: want %s in %q, got %s", tt.q, tt.figure, tt.excerpt, describe(a))
		}
	}
}

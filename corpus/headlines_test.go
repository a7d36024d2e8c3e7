package corpus

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus/sample"
)

// sampleReport is the embedded Fang County report, parsed as the engine
// does.
func sampleReport(t *testing.T) *Report {
	t.Helper()
	r, err := Parse(sample.FileName, sample.Fangxian, Meta{URL: sample.URL})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// hubeiPage is the Hubei disclosure page fixture, parsed as ingest does.
func hubeiPage(t *testing.T) *Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "html", "hubei-xxgk-utf8.html"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseHTML("hubei.shtml", data, "text/html; charset=utf-8", Meta{ID: "hubei-2025", URL: "https://www.hubei.gov.cn/zwgk/t20250123_5512345.shtml"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMatchFields(t *testing.T) {
	r := &Report{}
	r.Issuer, r.Title, r.Topic = "湖北省人民政府", "政府工作报告", "法治政府"
	if got := strings.Join(MatchFields(r), "|"); got != "湖北省人民政府|政府工作报告|法治政府" {
		t.Errorf("MatchFields = %q", got)
	}
}

func TestHeadlines(t *testing.T) {
	for _, r := range []*Report{sampleReport(t), hubeiPage(t)} {
		t.Run(r.ID, func(t *testing.T) {
			hs := Headlines(r)
			if len(hs) < 3 || len(hs) > 5 {
				t.Fatalf("%d headlines, want 3 to 5: %+v", len(hs), hs)
			}
			first := ""
			for _, p := range r.Paragraphs {
				if len(p.Path) > 0 {
					first = p.Path[0].Text
					break
				}
			}
			clauses := map[string]bool{}
			for _, h := range hs {
				if h.Section != first {
					t.Errorf("headline %q from %q, not the first section %q", h.Figure, h.Section, first)
				}
				if !strings.Contains(h.Clause, "\x00"+h.Figure+"\x00") {
					t.Errorf("clause %q does not hold figure %q", h.Clause, h.Figure)
				}
				plainClause := strings.ReplaceAll(h.Clause, "\x00", "")
				if clauses[plainClause] {
					t.Errorf("clause %q twice", plainClause)
				}
				clauses[plainClause] = true
				if !regexp.MustCompile(`\d`).MatchString(h.Figure) || regexp.MustCompile(`^\d+年$`).MatchString(h.Figure) {
					t.Errorf("headline figure %q is not a quantity", h.Figure)
				}
				// The clause is the report's own words.
				plain := strings.ReplaceAll(strings.Trim(h.Clause, "…"), "\x00", "")
				found := false
				for _, p := range r.Paragraphs {
					for _, part := range strings.Split(plain, "…") {
						found = found || strings.Contains(p.Text, part)
					}
				}
				if !found {
					t.Errorf("clause %q is not in the report", plain)
				}
			}
		})
	}
	t.Run("no figures", func(t *testing.T) {
		r := &Report{Paragraphs: []Paragraph{{Text: "坚持依法行政。"}}}
		r.ID, r.Title = "x", "无数字的报告"
		if hs := Headlines(r); len(hs) != 0 {
			t.Errorf("headlines from a report without figures: %+v", hs)
		}
	})
}

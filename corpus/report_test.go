package corpus

import (
	"encoding/json"
	"testing"
	"time"
)

// TestReportJSON pins the encoding of a report: the catalog files on disk
// and the catalog's change detection (a hash of this encoding) depend on
// Meta's fields encoding as the report's own, in this order.
func TestReportJSON(t *testing.T) {
	r := Report{
		Meta: Meta{ID: "r", Title: "标题", Issuer: "某县人民政府", Speaker: "县长 某某",
			Published: time.Date(2025, 1, 16, 0, 0, 0, 0, time.UTC), Year: 2025,
			DocNumber: "某政发〔2025〕1号", IndexNumber: "011/2025-1", Topic: "政务公开",
			URL: "https://example.org/r", Source: "manifest"},
		Header:     []string{"标题"},
		Chrome:     []string{"分享到"},
		Headings:   []Heading{{Level: 1, Marker: "一、", Text: "一、回顾"}},
		Paragraphs: []Paragraph{{ID: "r#p1", Seq: 1, Text: "正文。"}},
	}
	tests := []struct {
		name string
		r    Report
		want string
	}{
		{"every field", r, `{"id":"r","title":"标题","issuer":"某县人民政府","speaker":"县长 某某",` +
			`"published":"2025-01-16T00:00:00Z","year":2025,"doc_number":"某政发〔2025〕1号",` +
			`"index_number":"011/2025-1","topic":"政务公开","url":"https://example.org/r","source":"manifest",` +
			`"header":["标题"],"headings":[{"level":1,"marker":"一、","text":"一、回顾"}],` +
			`"paragraphs":[{"id":"r#p1","seq":1,"text":"正文。"}]}`},
		{"zero", Report{}, `{"id":"","title":"","issuer":"","published":"0001-01-01T00:00:00Z","paragraphs":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("encoding\n got %s\nwant %s", got, tt.want)
			}
			var back Report
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if back.Meta != tt.r.Meta {
				t.Errorf("decoded meta %+v, want %+v", back.Meta, tt.r.Meta)
			}
		})
	}
}

// TestMetaDated checks that a date without a year brings its year and
// that a year given is kept.
func TestMetaDated(t *testing.T) {
	day := time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   Meta
		want int
	}{
		{"date alone", Meta{Published: day}, 2025},
		{"year given", Meta{Published: day, Year: 2024}, 2024},
		{"neither", Meta{}, 0},
		{"year alone", Meta{Year: 2023}, 2023},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.Dated(); got.Year != tt.want || !got.Published.Equal(tt.in.Published) {
				t.Errorf("Dated() = year %d, date %v; want year %d", got.Year, got.Published, tt.want)
			}
		})
	}
}

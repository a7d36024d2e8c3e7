package corpus

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	for _, f := range strings.Split(f, ",") {
		r, err := ParseFile(f, Meta{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("ID=%s Title=%q Issuer=%q Speaker=%q Pub=%v Year=%d Doc=%q Idx=%q Topic=%q\nHeader=%q\n", r.ID, r.Title, r.Issuer, r.Speaker, r.Published.Format("2006-01-02"), r.Year, r.DocNumber, r.IndexNumber, r.Topic, r.Header)
		if os.Getenv("H") != "" {
			for _, h := range r.Headings {
				fmt.Printf("  H%d L%d %v %s\n", h.Level, h.Line, h.Inline, string([]rune(h.Text)[:min(36, len([]rune(h.Text)))]))
			}
		}
		if os.Getenv("P") != "" {
			for _, p := range r.Paragraphs {
				t := []rune(p.Text)
				if len(t) > 30 {
					t = t[:30]
				}
				fmt.Printf("  P%d L%d %s :: %s\n", p.Seq, p.Line, strings.Join(p.SectionPath(), " › "), string(t))
			}
		}
		fmt.Println("paragraphs", len(r.Paragraphs), "headings", len(r.Headings), levelCounts(r), "header", len(r.Header))
	}
}

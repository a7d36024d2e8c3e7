package doctext

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/govbot/govbot/corpus"
)

// fixtures are the committed PDF and .docx files made by testdata/gen.sh
// from shared reports, with the text version each was made from.
var fixtures = []struct {
	file, text string
}{
	{"fangxian-fzzf.pdf", "fangxian-fzzf.txt"},
	{"fangxian-fzzf.docx", "fangxian-fzzf.txt"},
	// CID (Type0, Identity-H) fonts, running header, page numbers.
	{"fangxian-fzzf-chromium.pdf", "fangxian-fzzf.txt"},
	{"hebei-gwr.pdf", "hebei-gwr.txt"},
	{"longhua-fzzf.pdf", "longhua-fzzf.txt"},
	{"longhua-fzzf.docx", "longhua-fzzf.txt"},
	// Locked with an owner password only: readable without one.
	{"restricted-aes128.pdf", "longhua-fzzf.txt"},
}

// Acceptance thresholds against the text version.
const (
	minCoverage       = 0.99 // share of the text version's characters, in order
	minSameParagraphs = 0.95 // share of its paragraphs found identical
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFixturesMatchTextVersion extracts each fixture and parses it as
// govbot add does, and compares with the text version parsed the same
// way: characters (in order), figure lists, paragraphs and headings.
func TestFixturesMatchTextVersion(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			data := readFixture(t, fx.file)
			f := Detect(fx.file, "", data)
			text, ok, err := Extract(f, data)
			if err != nil || !ok {
				t.Fatalf("Extract(%s) = %v, %v", f, ok, err)
			}
			want, err := corpus.Parse(fx.text, readFixture(t, fx.text), corpus.Meta{ID: "r"})
			if err != nil {
				t.Fatal(err)
			}
			got, err := corpus.Parse(fx.file, []byte(text), corpus.Meta{ID: "r"})
			if err != nil {
				t.Fatalf("parse extracted text: %v", err)
			}

			wantRunes, gotRunes := nonSpace(string(readFixture(t, fx.text))), nonSpace(text)
			cov := float64(lcsLen(wantRunes, gotRunes)) / float64(len(wantRunes))
			t.Logf("%s: %d of %d characters in order (%.4f), %d extra", fx.file,
				lcsLen(wantRunes, gotRunes), len(wantRunes), cov, len(gotRunes)-lcsLen(wantRunes, gotRunes))
			if cov < minCoverage {
				t.Errorf("coverage %.4f < %.2f", cov, minCoverage)
			}

			if w, g := figureTexts(want), figureTexts(got); strings.Join(w, "|") != strings.Join(g, "|") {
				t.Errorf("figures differ:\n got %d %v\nwant %d %v", len(g), g, len(w), w)
			}

			same := 0
			gotParas := map[string]bool{}
			for _, p := range got.Paragraphs {
				gotParas[string(nonSpace(p.Text))] = true
			}
			for _, p := range want.Paragraphs {
				if gotParas[string(nonSpace(p.Text))] {
					same++
				} else {
					t.Logf("paragraph not found as such: %.60s…", p.Text)
				}
			}
			share := float64(same) / float64(len(want.Paragraphs))
			t.Logf("%d of %d paragraphs identical (%d extracted)", same, len(want.Paragraphs), len(got.Paragraphs))
			if share < minSameParagraphs {
				t.Errorf("only %.3f of the paragraphs identical, want ≥ %.2f", share, minSameParagraphs)
			}
			if w, g := headings(want), headings(got); strings.Join(w, "|") != strings.Join(g, "|") {
				t.Errorf("headings differ:\n got %q\nwant %q", g, w)
			}
			if got.Title != want.Title {
				t.Errorf("title %q, want %q", got.Title, want.Title)
			}
		})
	}
}

func nonSpace(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if !unicode.IsSpace(r) {
			out = append(out, r)
		}
	}
	return out
}

func figureTexts(r *corpus.Report) []string {
	var out []string
	for _, p := range r.Paragraphs {
		for _, f := range p.Figures {
			out = append(out, f.Text)
		}
	}
	return out
}

func headings(r *corpus.Report) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range r.Paragraphs {
		path := strings.Join(p.SectionPath(), " > ")
		if !seen[path] {
			seen[path] = true
			out = append(out, path)
		}
	}
	return out
}

// lcsLen is the length of the longest common subsequence of a and b
// (Myers' O(ND) algorithm: the texts are nearly the same).
func lcsLen(a, b []rune) int {
	n, m := len(a), len(b)
	max := n + m
	v := make([]int, 2*max+2)
	for d := 0; d <= max; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[max+k-1] < v[max+k+1] {
				x = v[max+k+1]
			} else {
				x = v[max+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[max+k] = x
			if x >= n && y >= m {
				return (n + m - d) / 2
			}
		}
	}
	return 0
}

// TestBadDocuments: damaged, encrypted and legacy files give an error that
// says what is wrong.
func TestBadDocuments(t *testing.T) {
	pdfData := readFixture(t, "longhua-fzzf.pdf")
	docx := readFixture(t, "longhua-fzzf.docx")
	tests := []struct {
		name    string
		data    []byte
		wantFmt Format
		wantErr error
		wantMsg string
	}{
		{"cut-half.pdf", pdfData[:len(pdfData)/2], PDF, ErrBroken, "cut short"},
		{"cut-end.pdf", pdfData[:len(pdfData)-200], PDF, ErrBroken, "cut short"},
		{"header-only.pdf", pdfData[:20], PDF, ErrBroken, "PDF"},
		{"encrypted.pdf", readFixture(t, "encrypted.pdf"), PDF, ErrEncrypted, "unprotected"},
		{"restricted-aes256.pdf", readFixture(t, "restricted-aes256.pdf"), PDF, ErrEncrypted, "AES-256"},
		{"fangxian-fzzf.doc", readFixture(t, "fangxian-fzzf.doc"), DOC, ErrUnsupported, ".doc"},
		{"report.wps", readFixture(t, "fangxian-fzzf.doc"), WPS, ErrUnsupported, ".wps"},
		{"cut.docx", docx[:len(docx)/2], DOCX, ErrBroken, ".docx"},
		{"download", readFixture(t, "fangxian-fzzf.doc"), DOC, ErrUnsupported, "Word 97-2003"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Detect(tt.name, "", tt.data)
			if f != tt.wantFmt {
				t.Errorf("Detect = %s, want %s", f, tt.wantFmt)
			}
			text, ok, err := Extract(f, tt.data)
			if !ok || !errors.Is(err, tt.wantErr) || text != "" {
				t.Fatalf("Extract = %q, %v, %v; want %v", text, ok, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	pdfData := readFixture(t, "fangxian-fzzf.pdf")
	docx := readFixture(t, "fangxian-fzzf.docx")
	tests := []struct {
		name, ct string
		data     []byte
		want     Format
	}{
		{"a.pdf", "", pdfData, PDF},
		{"https://x.gov.cn/download?id=3", "application/octet-stream", pdfData, PDF},
		{"a.html", "text/html", pdfData, PDF}, // content wins
		{"a", "", append([]byte("\xef\xbb\xbf  \r\n"), pdfData...), PDF},
		{"a.docx", "", docx, DOCX},
		{"attachment", "application/zip", docx, DOCX},
		{"a.zip", "", []byte("PK\x03\x04 other"), Zip},
		{"a.txt", "", []byte("房县人民政府关于2023年度法治政府建设工作报告"), Text},
		{"a", "", []byte("<!DOCTYPE html><html><body>报告</body></html>"), HTML},
		{"a.htm", "", []byte("报告"), HTML},
		{"a.pdf", "", []byte("not really"), PDF},
		{"https://x.gov.cn/a.doc?x=1", "", []byte{}, DOC},
		{"a", "application/msword", nil, DOC},
		{"a", "application/kswps", nil, WPS},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, tt.ct, tt.data); got != tt.want {
			t.Errorf("Detect(%q, %q) = %s, want %s", tt.name, tt.ct, got, tt.want)
		}
	}
}

// BenchmarkExtract measures extraction speed per fixture (MB/s of file).
func BenchmarkExtract(b *testing.B) {
	for _, fx := range fixtures {
		data := readFixture(b, fx.file)
		f := Detect(fx.file, "", data)
		b.Run(fx.file, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, _, err := Extract(f, data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// minimalPDF writes a PDF of the given objects (numbered from 1) with a
// correct xref table.
func minimalPDF(objects ...string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return []byte(b.String())
}

// TestHostilePDF: a page tree that contains itself twice at every level,
// and a page whose content is not text, end quickly with a clear error.
func TestHostilePDF(t *testing.T) {
	cyclic := minimalPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 2 >>")
	if _, err := PDFText(cyclic); !errors.Is(err, ErrBroken) || !strings.Contains(err.Error(), "no pages") {
		t.Errorf("cyclic page tree: %v", err)
	}
	stream := "0 0 m 100 100 l S"
	scan := minimalPDF("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	if _, err := PDFText(scan); !errors.Is(err, ErrNoText) || !strings.Contains(err.Error(), "scanned") {
		t.Errorf("page without text: %v", err)
	}
}

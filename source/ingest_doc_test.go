package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/internal/doctext"
)

// TestIngestDocuments adds PDF and Word reports as govbot add does, from a
// file and from a URL, and checks the indexed report against its text
// version; damaged, encrypted and legacy files are refused and change
// nothing.
func TestIngestDocuments(t *testing.T) {
	e := newEnv(t)
	mux := http.NewServeMux()
	serve := func(path, ctype, file string, cut int) {
		data := docFixture(t, file)
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Write(data[:len(data)-cut])
		})
	}
	serve("/hebei.pdf", "application/pdf", "hebei-gwr.pdf", 0)
	serve("/attach/download.do", "application/octet-stream", "longhua-fzzf.docx", 0)
	serve("/cut.pdf", "application/pdf", "hebei-gwr.pdf", 4096)
	serve("/locked.pdf", "application/pdf", "encrypted.pdf", 0)
	serve("/old.doc", "application/octet-stream", "fangxian-fzzf.doc", 0)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	good := []struct {
		name, url, file, text string
	}{
		{"pdf by URL", srv.URL + "/hebei.pdf", "", "hebei-gwr.txt"},
		{"docx by URL as octet-stream", srv.URL + "/attach/download.do", "", "longhua-fzzf.txt"},
		{"pdf file", "", "fangxian-fzzf.pdf", "fangxian-fzzf.txt"},
	}
	for _, g := range good {
		t.Run(g.name, func(t *testing.T) {
			var res Result
			var err error
			if g.url != "" {
				res, err = e.ingestURL(t, g.url)
			} else {
				res, err = e.in.Ingest(context.Background(), Document{Name: filepath.Join("downloads", g.file), Data: docFixture(t, g.file)})
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != Added {
				t.Fatalf("status %s: %s", res.Status, res)
			}
			want, err := corpus.Parse(g.text, docFixture(t, g.text), corpus.Meta{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.ix.Report(res.Report.ID)
			if err != nil {
				t.Fatalf("not in the index: %v", err)
			}
			if got.Title != want.Title || got.Issuer != want.Issuer || !got.Published.Equal(want.Published) || got.IndexNumber != want.IndexNumber {
				t.Errorf("metadata %q %q %v %q, want %q %q %v %q", got.Title, got.Issuer, got.Published, got.IndexNumber,
					want.Title, want.Issuer, want.Published, want.IndexNumber)
			}
			if g.url != "" && got.URL != g.url {
				t.Errorf("URL %q, want %q", got.URL, g.url)
			}
			if len(got.Paragraphs) != len(want.Paragraphs) {
				t.Errorf("%d paragraphs, want %d", len(got.Paragraphs), len(want.Paragraphs))
			}
			for i := range min(len(got.Paragraphs), len(want.Paragraphs)) {
				gp, wp := got.Paragraphs[i], want.Paragraphs[i]
				if squeeze(gp.Text) != squeeze(wp.Text) || strings.Join(gp.SectionPath(), ">") != strings.Join(wp.SectionPath(), ">") {
					t.Errorf("paragraph %d:\n got %v %.50s\nwant %v %.50s", i+1, gp.SectionPath(), gp.Text, wp.SectionPath(), wp.Text)
					break
				}
				if figs(gp) != figs(wp) {
					t.Errorf("paragraph %d figures %s, want %s", i+1, figs(gp), figs(wp))
				}
			}
		})
	}

	t.Run("same report as .docx after .pdf is a duplicate", func(t *testing.T) {
		res, err := e.in.Ingest(context.Background(), Document{Name: "fangxian.docx", Data: docFixture(t, "fangxian-fzzf.docx")})
		if err != nil || res.Status != Duplicate {
			t.Fatalf("= %s, %v; want duplicate", res, err)
		}
	})

	before := e.snapshot(t)
	longhua := docFixture(t, "longhua-fzzf.pdf")
	bad := []struct {
		name, url string
		data      []byte
		want      error
		msg       string
	}{
		{"truncated pdf file", "", longhua[:len(longhua)*2/3], doctext.ErrBroken, "cut short"},
		{"truncated pdf URL", srv.URL + "/cut.pdf", nil, doctext.ErrBroken, "cut short"},
		{"encrypted pdf file", "", docFixture(t, "encrypted.pdf"), doctext.ErrEncrypted, "password"},
		{"encrypted pdf URL", srv.URL + "/locked.pdf", nil, doctext.ErrEncrypted, "password"},
		{"doc file", "", docFixture(t, "fangxian-fzzf.doc"), doctext.ErrUnsupported, "(.doc)"},
		{"doc URL", srv.URL + "/old.doc", nil, ErrContentType, "(.doc)"},
		{"wps file", "", docFixture(t, "fangxian-fzzf.doc"), doctext.ErrUnsupported, "WPS"},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			var err error
			if b.url != "" {
				_, err = e.ingestURL(t, b.url)
			} else {
				name := strings.ReplaceAll(b.name, " ", ".")
				if strings.HasPrefix(b.name, "wps") {
					name = "report.wps"
				}
				_, err = e.in.Ingest(context.Background(), Document{Name: name, Data: b.data})
			}
			if !errors.Is(err, b.want) || !strings.Contains(err.Error(), b.msg) {
				t.Fatalf("err = %v, want %v saying %q", err, b.want, b.msg)
			}
			if after := e.snapshot(t); after != before {
				t.Errorf("a failed ingest changed state:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
	// The data directory holds no leftovers of the failed ingests either.
	entries, err := os.ReadDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if strings.HasSuffix(en.Name(), ".tmp") || strings.Contains(en.Name(), "building") {
			t.Errorf("leftover %s in the data directory", en.Name())
		}
	}
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func figs(p corpus.Paragraph) string {
	var out []string
	for _, f := range p.Figures {
		out = append(out, f.Text)
	}
	return strings.Join(out, "|")
}

// TestPermanentDocumentErrors: a document link that cannot be read is not
// fetched again every round, unless the download may just have been cut.
func TestPermanentDocumentErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		want bool
	}{
		{"locked.pdf", docFixture(t, "encrypted.pdf"), true},
		{"old.doc", docFixture(t, "fangxian-fzzf.doc"), true},
		{"cut.pdf", docFixture(t, "hebei-gwr.pdf")[:5000], false},
	} {
		_, err := Parse(Document{Name: tt.name, Data: tt.data})
		if err == nil || permanent(err) != tt.want {
			t.Errorf("%s: err %v, permanent %v, want %v", tt.name, err, permanent(err), tt.want)
		}
	}
}

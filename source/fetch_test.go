package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// docFixture reads a PDF or Word fixture of internal/doctext.
func docFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "internal", "doctext", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "corpus", "testdata", "html", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// govSite serves pages the way government sites do, plus the broken
// answers the fetcher must turn into clear errors.
func govSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(path, ctype string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			}
			w.Write(body)
		})
	}
	page("/hubei.shtml", "text/html; charset=utf-8", fixture(t, "hubei-xxgk-utf8.html"))
	page("/gov.htm", "text/html; charset=GB2312", fixture(t, "state-council-gb18030.html"))
	page("/noheader.htm", "", fixture(t, "state-council-gb18030.html"))
	// Header and meta tag both say UTF-8; the bytes are GB18030.
	page("/wrong-charset.html", "text/html; charset=utf-8", fixture(t, "wrong-charset-gbk.html"))
	page("/report.pdf", "application/pdf", docFixture(t, "longhua-fzzf.pdf"))
	page("/logo.png", "image/png", []byte("\x89PNG\r\n\x1a\n"))
	page("/sniffed.pdf", "", docFixture(t, "longhua-fzzf.pdf"))
	page("/download.do", "application/octet-stream", docFixture(t, "longhua-fzzf.docx"))
	page("/setup.exe", "application/octet-stream", []byte("MZ\x90\x00 not a report"))
	page("/old.doc", "application/msword", docFixture(t, "fangxian-fzzf.doc"))
	page("/old-download", "application/octet-stream", docFixture(t, "fangxian-fzzf.doc"))
	mux.HandleFunc("/gone.html", http.NotFound)
	mux.HandleFunc("/broken.html", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow.html", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/huge.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", fmt.Sprint(20<<20))
		w.Write([]byte("<html>"))
	})
	mux.HandleFunc("/huge-chunked.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>政府工作报告</p>", 1000))
		for range 200 { // ~3.8 MB, over the test's 1 MiB cap, no Content-Length
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/cut.html", func(w http.ResponseWriter, r *http.Request) {
		// Announce the whole page, send 60 % and drop the connection.
		body := fixture(t, "hubei-xxgk-utf8.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.Write(body[:len(body)*6/10])
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hubei.shtml", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/etag.html", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>listing</body></html>"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	srv := govSite(t)
	opts := &FetchOptions{Timeout: 500 * time.Millisecond, MaxBytes: 1 << 20, AllowPrivate: true}
	tests := []struct {
		path     string
		wantErr  error
		wantCode int    // for a *StatusError
		wantMsg  string // in the error text
		wantURL  string // final URL suffix
		wantType string // Content-Type of a document ("" for HTML)
	}{
		{path: "/hubei.shtml", wantURL: "/hubei.shtml"},
		{path: "/gov.htm", wantURL: "/gov.htm"},
		{path: "/noheader.htm", wantURL: "/noheader.htm"},
		{path: "/moved", wantURL: "/hubei.shtml"},
		{path: "/report.pdf", wantURL: "/report.pdf", wantType: "application/pdf"},
		{path: "/sniffed.pdf", wantURL: "/sniffed.pdf", wantType: "application/pdf"},
		{path: "/download.do", wantURL: "/download.do", wantType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{path: "/setup.exe", wantErr: ErrContentType, wantMsg: "neither PDF nor .docx"},
		{path: "/old.doc", wantErr: ErrContentType, wantMsg: "(.doc) files are not supported: save as .docx or PDF"},
		{path: "/old-download", wantErr: ErrContentType, wantMsg: "(.doc) files are not supported"},
		{path: "/logo.png", wantErr: ErrContentType, wantMsg: "image"},
		{path: "/gone.html", wantCode: 404, wantMsg: "404 Not Found (the page does not exist"},
		{path: "/broken.html", wantCode: 500, wantMsg: "server error"},
		{path: "/slow.html", wantErr: ErrTimeout, wantMsg: "within 500ms"},
		{path: "/huge.html", wantErr: ErrTooLarge, wantMsg: "20971520 bytes announced"},
		{path: "/huge-chunked.html", wantErr: ErrTooLarge, wantMsg: "more than 1048576 bytes"},
		{path: "/cut.html", wantErr: ErrTruncatedBody, wantMsg: "connection closed after"},
		{path: "/loop", wantErr: ErrRedirects},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			start := time.Now()
			p, err := Fetch(context.Background(), srv.URL+tt.path, opts)
			if time.Since(start) > 2*time.Second {
				t.Errorf("took %v: limits not applied", time.Since(start))
			}
			if tt.wantErr == nil && tt.wantCode == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(p.URL, tt.wantURL) || len(p.Body) < 1000 || p.IsHTML() != (tt.wantType == "") ||
					tt.wantType != "" && p.ContentType != tt.wantType {
					t.Errorf("page = %s, %d bytes, %q", p.URL, len(p.Body), p.ContentType)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %v", tt.wantErr)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			var se *StatusError
			if tt.wantCode != 0 && (!errors.As(err, &se) || se.Code != tt.wantCode) {
				t.Errorf("err = %v, want HTTP %d", err, tt.wantCode)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Errorf("error %q lacks %q or the URL", err, tt.wantMsg)
			}
		})
	}
	t.Run("bad URL", func(t *testing.T) {
		for _, u := range []string{"ftp://example.gov.cn/a", "not a url", "/relative/path"} {
			if _, err := Fetch(context.Background(), u, opts); !errors.Is(err, ErrBadURL) {
				t.Errorf("Fetch(%q): err = %v, want ErrBadURL", u, err)
			}
		}
	})
	t.Run("conditional", func(t *testing.T) {
		p, err := Fetch(context.Background(), srv.URL+"/etag.html", opts)
		if err != nil || p.ETag != `"v1"` || p.NotModified {
			t.Fatalf("first fetch = %+v, %v", p, err)
		}
		o := *opts
		o.ETag = p.ETag
		p, err = Fetch(context.Background(), srv.URL+"/etag.html", &o)
		if err != nil || !p.NotModified || p.Body != nil {
			t.Fatalf("conditional fetch = %+v, %v; want NotModified", p, err)
		}
	})
}

func TestCheckTypeDefaults(t *testing.T) {
	if DefaultMaxBytes != 10<<20 || DefaultTimeout != 30*time.Second || DefaultMaxRedirects != 5 {
		t.Errorf("defaults changed: %d bytes, %s, %d redirects", DefaultMaxBytes, DefaultTimeout, DefaultMaxRedirects)
	}
	for ct, ok := range map[string]bool{
		"text/html; charset=gbk": true, "application/xhtml+xml": true, "text/plain": true,
		"application/msword": false, "application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
		"application/pdf": true, "application/kswps": false,
		"application/octet-stream": false, "bogus/;;": false,
	} {
		if err := checkType(ct); (err == nil) != ok {
			t.Errorf("checkType(%q) = %v, want ok=%v", ct, err, ok)
		}
	}
}

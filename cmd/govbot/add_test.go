package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// govbot runs one command in-process with data directory dir.
func govbot(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
		if k == "GOVBOT_DATA" {
			return dir
		}
		return ""
	}}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestAddAndWatchCommands(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("..", "..", "corpus", "testdata", "html", "hubei-xxgk-utf8.html"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/t20250123_1.shtml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	docs := filepath.Join("..", "..", "internal", "doctext", "testdata")
	hebei, err := os.ReadFile(filepath.Join(docs, "hebei-gwr.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	mux.HandleFunc("/attachment/hebei.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write(hebei)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	dir := t.TempDir()
	revised := filepath.Join(t.TempDir(), "revised.html")
	if err := os.WriteFile(revised, bytes.Replace(page, []byte("60013亿元"), []byte("60014亿元"), 1), 0o644); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		args     []string
		code     int
		out, err string
	}{
		// The test site is on 127.0.0.1: refused unless the operator allows it.
		{[]string{"add", srv.URL + "/t20250123_1.shtml"}, 1, "", "127.0.0.1 is a loopback address"},
		{[]string{"add", "--allow-private", srv.URL + "/t20250123_1.shtml"}, 0, "added 127.0.0.1-t20250123_1: 2025年湖北省政府工作报告 (湖北省人民政府", ""},
		{[]string{"add", "--allow-private", "--id", "other", srv.URL + "/t20250123_1.shtml"}, 0, "already indexed as 127.0.0.1-t20250123_1 (same text)", ""},
		{[]string{"add", revised}, 0, "updated 127.0.0.1-t20250123_1 (same 索引号, revision 2): replaced the earlier text", ""},
		// A fresh data directory starts from the embedded sample report,
		// as govbot serve does, and keeps what was added beside it.
		{[]string{"reports"}, 0, "2 report(s)", ""},
		{[]string{"ask", "湖北省2024年地区生产总值总量是多少"}, 0, "60014亿元", ""},
		{[]string{"add", "--allow-private", srv.URL + "/report.pdf"}, 1, "", "damaged or truncated document (nothing was changed)"},
		// The sample report as PDF and as .docx: every paragraph extracted
		// exactly as in the text version, so the same text hash.
		{[]string{"add", filepath.Join(docs, "fangxian-fzzf.pdf")}, 0, "already indexed as 2024-fangxian-fzzf (same text)", ""},
		{[]string{"add", filepath.Join(docs, "fangxian-fzzf.docx")}, 0, "already indexed as 2024-fangxian-fzzf (same text)", ""},
		{[]string{"add", "--allow-private", srv.URL + "/attachment/hebei.pdf"}, 0, "added 127.0.0.1-hebei: 2026年河北省政府工作报告 (河北省人民政府, 43 paragraphs)", ""},
		{[]string{"add", filepath.Join(docs, "longhua-fzzf.docx")}, 0, "added longhua-fzzf: ", ""},
		{[]string{"ask", "河北2025年全省生产总值是多少"}, 0, "4.93万亿元", ""},
		{[]string{"add", filepath.Join(docs, "fangxian-fzzf.doc")}, 1, "", "legacy Word 97-2003 (.doc) files are not supported: open it in Word or WPS, save as .docx or PDF"},
		{[]string{"add", filepath.Join(docs, "encrypted.pdf")}, 1, "", "password"},
		{[]string{"reports"}, 0, "4 report(s)", ""},
		{[]string{"add", "--allow-private", srv.URL + "/missing.html"}, 1, "", "HTTP 404 Not Found"},
		{[]string{"add", filepath.Join(dir, "nope.txt")}, 1, "", "no such file"},
		{[]string{"add"}, 2, "", "add takes one FILE or URL"},
		{[]string{"watch", "--once"}, 1, "", "sources.json"},
	}
	for _, s := range steps {
		t.Run(strings.Join(s.args, " "), func(t *testing.T) {
			code, out, errOut := govbot(t, dir, s.args...)
			if code != s.code || !strings.Contains(out, s.out) || !strings.Contains(errOut, s.err) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout %q, stderr %q", code, s.code, out, errOut, s.out, s.err)
			}
		})
	}

	// A folder source: watch --once ingests the file and prints it.
	inbox := t.TempDir()
	os.WriteFile(filepath.Join(inbox, "2026-hunan.txt"), []byte("2026年湖南省政府工作报告\n\n各位代表：\n\n全省地区生产总值达到5.4万亿元，城镇新增就业75.6万人，粮食产量达到614.8亿斤。\n"), 0o644)
	conf := filepath.Join(dir, "sources.json")
	os.WriteFile(conf, []byte(fmt.Sprintf(`{"sources": [{"name": "inbox", "folder": %q}]}`, inbox)), 0o644)
	code, out, errOut := govbot(t, dir, "watch", "--once")
	if code != 0 || !strings.Contains(out, "inbox: added 2026-hunan") || !strings.Contains(out, "1 reports ingested") {
		t.Errorf("watch --once: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = govbot(t, dir, "watch", "--once")
	if code != 0 || !strings.Contains(out, "0 reports ingested") {
		t.Errorf("second watch --once: exit %d\n%s", code, out)
	}
}

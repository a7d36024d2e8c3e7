package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
	"github.com/govbot/govbot/index"
	"github.com/govbot/govbot/internal/sharedtest"
)

// testFiles are the shared reports the tests index: the county report,
// three national reports, two years of Hubei and two more provinces,
// enough for issuer and year scoping, comparisons, follow-ups and a
// question whose place is ambiguous.
var testFiles = []string{
	"2024-fangxian-fzzf.txt",
	"2023-state-council-gwr.txt", "2024-state-council-gwr.txt", "2025-state-council-gwr.txt",
	"2025-hubei-gwr.txt", "2026-hubei-gwr.txt",
	"2026-fujian-gwr.txt", "2026-jiangsu-gwr.txt",
}

// hostileID is the report whose metadata and text try to inject markup.
const hostileID = "hostile-report"

// hostile is what the hostile report's title, issuer and text carry.
const hostile = `<script>alert("x")</script>`

// hostileText is the hostile report: markup in the title, the headings and
// the paragraphs, with figures for the page to mark.
var hostileText = `恶意县人民政府关于2024年度<b>测试</b>工作报告

一、2024年工作回顧<script>alert("h")</script>

全县共办理测试案件45件，<script>alert("x")</script>其中"><img src=x onerror=alert(1)>办结40件。

二、下一步工作

确保测试案件办结率达到100%，</textarea><iframe src="//evil"></iframe>。
`

var (
	engOnce sync.Once
	eng     *answer.Engine
	engErr  error
	tmpRoot string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "govbot-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	tmpRoot = dir
	code := m.Run()
	if eng != nil {
		eng.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// testEngine returns the engine over testFiles and the hostile report,
// indexed on disk once per test binary.
func testEngine(tb testing.TB) *answer.Engine {
	tb.Helper()
	reports := sharedtest.Reports(tb)
	engOnce.Do(func() { eng, engErr = buildEngine(reports, filepath.Join(tmpRoot, "data")) })
	if engErr != nil {
		tb.Fatal(engErr)
	}
	return eng
}

func buildEngine(reportsDir, dataDir string) (*answer.Engine, error) {
	man, err := corpus.LoadManifest(filepath.Join(reportsDir, corpus.ManifestName))
	if err != nil {
		return nil, err
	}
	var reps []*corpus.Report
	for _, f := range testFiles {
		r, err := corpus.ParseFile(filepath.Join(reportsDir, f), man[f])
		if err != nil {
			return nil, err
		}
		reps = append(reps, r)
	}
	evil, err := corpus.Parse(hostileID+".txt", []byte(hostileText), corpus.Meta{
		ID:          hostileID,
		Title:       "测试报告" + hostile,
		Issuer:      "恶意县人民政府",
		DocNumber:   `恶文〔2024〕1号<img src=x onerror=alert(1)>`,
		IndexNumber: hostile,
		URL:         "javascript:alert(1)",
	})
	if err != nil {
		return nil, fmt.Errorf("hostile report: %w", err)
	}
	reps = append(reps, evil)
	if _, err := index.Update(context.Background(), dataDir, reps); err != nil {
		return nil, fmt.Errorf("index %s: %w", dataDir, err)
	}
	return answer.Open(dataDir)
}

// newServer returns the web front end over the test engine.
func newServer(tb testing.TB, opt Options) *Server {
	tb.Helper()
	s, err := New(testEngine(tb), opt)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// get serves one GET request from addr (remote address) and returns the response.
func get(h http.Handler, target, addr string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if addr != "" {
		r.RemoteAddr = addr
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var (
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRe = regexp.MustCompile(`\s+`)
)

// pageText is a page's visible text, roughly: tags and white space
// removed, entities decoded.
func pageText(html string) string {
	s := tagRe.ReplaceAllString(html, "")
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&#43;", "+", "&amp;", "&").Replace(s)
	return spaceRe.ReplaceAllString(s, "")
}

func ask(tb testing.TB, q string) *answer.Answer {
	tb.Helper()
	a, err := testEngine(tb).Ask(context.Background(), q)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

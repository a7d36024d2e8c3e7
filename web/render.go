package web

import (
	"bytes"
	"fmt"
	lru "github.com/hashicorp/golang-lru/v2"
	"html/template"
	"net/http"
	"strings"

	"github.com/govbot/govbot/corpus"
)

// pageNames are the page templates in assets/templates, each rendered
// inside layout.html.
var pageNames = []string{"ask", "reports", "report", "error"}

var funcs = template.FuncMap{
	"short": func(issuer string) string { return strings.TrimSuffix(issuer, "人民政府") },
	"join":  strings.Join,
	"add":   func(a, b int) int { return a + b },
	// The page's additions to a cited passage (answer.ViewPassage).
	"when":      passageWhen,
	"paraLink":  passageLink,
	"sourceURL": webURL,
}

func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "assets/templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(assets, "assets/templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes page name with data, or a plain 500 when the template
// fails (the page is rendered to a buffer first, so no half page goes out).
func (s *Server) render(w http.ResponseWriter, code int, name string, data any) {
	b, err := s.renderBytes(name, data)
	if err != nil {
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	writeHTML(w, code, b)
}

func (s *Server) renderBytes(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout.html", data); err != nil {
		s.opt.Logger.Error("web: render", "page", name, "err", err)
		return nil, err
	}
	return b.Bytes(), nil
}

func writeHTML(w http.ResponseWriter, code int, b []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

// pageCache keeps the rendered pages of the most recently viewed reports:
// a long report's page takes far longer to render than to send. An entry
// is valid for the very report value it was rendered from; the index
// hands out a new value when a report is re-indexed.
type pageCache struct {
	lru *lru.Cache[string, *cachedPage]
}

type cachedPage struct {
	rep  *corpus.Report
	html []byte
}

// reportPagesCached is how many report pages pageCache keeps (a long
// report's page is about 300 KB).
const reportPagesCached = 16

func newPageCache(size int) *pageCache {
	c, _ := lru.New[string, *cachedPage](max(size, 1)) // errors only for a size < 1
	return &pageCache{lru: c}
}

func (c *pageCache) get(rep *corpus.Report) []byte {
	p, ok := c.lru.Get(rep.ID)
	if !ok || p.rep != rep {
		return nil
	}
	return p.html
}

func (c *pageCache) put(rep *corpus.Report, html []byte) {
	c.lru.Add(rep.ID, &cachedPage{rep: rep, html: html})
}

package web

import (
	"bytes"
	"container/list"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/govbot/govbot/corpus"
)

// pageNames are the page templates in assets/templates, each rendered
// inside layout.html.
var pageNames = []string{"ask", "reports", "report", "error"}

var funcs = template.FuncMap{
	"short": func(issuer string) string { return strings.TrimSuffix(issuer, "人民政府") },
	"join":  strings.Join,
	"add":   func(a, b int) int { return a + b },
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
	max int

	mu  sync.Mutex
	m   map[string]*list.Element // of *cachedPage
	lru *list.List               // most recently used first
}

type cachedPage struct {
	id   string
	rep  *corpus.Report
	html []byte
}

// reportPagesCached is how many report pages pageCache keeps (a long
// report's page is about 300 KB).
const reportPagesCached = 16

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, m: map[string]*list.Element{}, lru: list.New()}
}

func (c *pageCache) get(rep *corpus.Report) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[rep.ID]
	if !ok || el.Value.(*cachedPage).rep != rep {
		return nil
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cachedPage).html
}

func (c *pageCache) put(rep *corpus.Report, html []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[rep.ID]; ok {
		c.lru.Remove(el)
	}
	c.m[rep.ID] = c.lru.PushFront(&cachedPage{id: rep.ID, rep: rep, html: html})
	for c.lru.Len() > c.max {
		old := c.lru.Back()
		c.lru.Remove(old)
		delete(c.m, old.Value.(*cachedPage).id)
	}
}

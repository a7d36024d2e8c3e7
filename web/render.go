package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
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
	var b bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&b, "layout.html", data); err != nil {
		s.opt.Logger.Error("web: render", "page", name, "err", err)
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(b.Bytes())
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
)

// reportsPage is the data of /reports.
type reportsPage struct {
	Title   string
	Issuer  string
	Year    int
	Issuers []string
	Years   []int
	Reports []reportRow
	Total   int
}

type reportRow struct {
	answer.ReportSummary
	Link, Date string
}

func (s *Server) handleReports(w http.ResponseWriter, r *http.Request) {
	p := &reportsPage{
		Title:   "已收录的报告",
		Issuer:  strings.TrimSpace(r.URL.Query().Get("issuer")),
		Year:    yearParam(r, "year"),
		Issuers: s.issuers(),
		Years:   s.years(),
		Total:   len(s.eng.Reports()),
	}
	if len([]rune(p.Issuer)) > 50 {
		p.Issuer = string([]rune(p.Issuer)[:50])
	}
	for _, rs := range s.eng.ReportsOf(p.Issuer, p.Year) {
		p.Reports = append(p.Reports, reportRow{ReportSummary: rs, Link: reportLink(rs.ID, ""), Date: dateOf(rs.ReportRef)})
	}
	s.render(w, http.StatusOK, "reports", p)
}

func dateOf(r answer.ReportRef) string {
	switch {
	case !r.Published.IsZero():
		return r.Published.Format("2006-01-02")
	case r.Year > 0:
		return fmt.Sprintf("%d年", r.Year)
	}
	return ""
}

// reportPage is the data of /reports/{id}.
type reportPage struct {
	Title     string
	R         *corpus.Report
	Date      string
	SourceURL string
	Blocks    []block
	Figures   []figureRow
	Contents  []block
}

// block is a heading or a paragraph of the report's text.
type block struct {
	Heading bool
	Level   int
	ID      string // anchor: h<n> for headings, p<seq> for paragraphs
	Text    string
	Parts   []textPart
}

// textPart is a run of paragraph text, Fig when it is a figure.
type textPart struct {
	Text    string
	Fig     bool
	Context string
}

type figureRow struct {
	Text, Context, Anchor, Section string
}

func (s *Server) report(id string) *corpus.Report {
	if !slices.ContainsFunc(s.eng.Reports(), func(r answer.ReportSummary) bool { return r.ID == id }) {
		return nil
	}
	rep, err := s.eng.Report(id)
	if err != nil {
		s.opt.Logger.Error("web: load report", "id", id, "err", err)
		return nil
	}
	return rep
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	rep := s.report(r.PathValue("id"))
	if rep == nil {
		s.fail(w, r, http.StatusNotFound, "没有这份报告。")
		return
	}
	if html := s.reportPages.get(rep); html != nil {
		writeHTML(w, http.StatusOK, html)
		return
	}
	html, err := s.renderBytes("report", viewReport(rep))
	if err != nil {
		http.Error(w, "内部错误", http.StatusInternalServerError)
		return
	}
	s.reportPages.put(rep, html)
	writeHTML(w, http.StatusOK, html)
}

// viewReport lays a report out: metadata, headings and paragraphs in
// order, the figures marked and listed.
func viewReport(rep *corpus.Report) *reportPage {
	p := &reportPage{Title: rep.Title, R: rep, SourceURL: webURL(rep.URL)}
	if p.Title == "" {
		p.Title = rep.ID
	}
	p.Date = dateOf(answer.ReportRef{Published: rep.Published, Year: rep.Year})
	var prev []corpus.Heading
	headings := 0
	for i := range rep.Paragraphs {
		para := &rep.Paragraphs[i]
		same := 0
		for same < len(prev) && same < len(para.Path) && prev[same] == para.Path[same] {
			same++
		}
		for _, h := range para.Path[same:] {
			if h.Inline {
				continue // the paragraph's text starts with it
			}
			headings++
			b := block{Heading: true, Level: min(h.Level, 4), ID: fmt.Sprintf("h%d", headings), Text: h.Text}
			p.Blocks = append(p.Blocks, b)
			if h.Level == 1 {
				p.Contents = append(p.Contents, b)
			}
		}
		prev = para.Path
		anchor := fmt.Sprintf("p%d", para.Seq)
		p.Blocks = append(p.Blocks, block{ID: anchor, Parts: splitFigures(para.Text, para.Figures)})
		section := strings.Join(para.SectionPath(), " › ")
		for _, f := range para.Figures {
			p.Figures = append(p.Figures, figureRow{Text: f.Text, Context: f.Context, Anchor: anchor, Section: section})
		}
	}
	return p
}

// splitFigures cuts a paragraph's text into runs, the figures apart.
func splitFigures(text string, figs []corpus.Figure) []textPart {
	var parts []textPart
	at := 0
	for _, f := range figs {
		if f.Start < at || f.End > len(text) || f.End <= f.Start {
			continue
		}
		if f.Start > at {
			parts = append(parts, textPart{Text: text[at:f.Start]})
		}
		parts = append(parts, textPart{Text: text[f.Start:f.End], Fig: true, Context: f.Context})
		at = f.End
	}
	if at < len(text) {
		parts = append(parts, textPart{Text: text[at:]})
	}
	return parts
}

// handleAPIAsk answers ?q= with the object `govbot ask --json` prints.
func (s *Server) handleAPIAsk(w http.ResponseWriter, r *http.Request) {
	q, err := s.requiredQuestion(r)
	if err != nil {
		code, msg := s.questionError(err)
		if q == "" && code == http.StatusBadRequest {
			msg = "缺少问题：/api/ask?q=问题"
		}
		writeJSONError(w, code, msg)
		return
	}
	a, err := s.ask(r.Context(), nil, q)
	if err != nil {
		writeJSONError(w, http.StatusServiceUnavailable, "暂时无法回答，请稍后再试。")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := answer.WriteJSON(w, a); err != nil {
		s.opt.Logger.Warn("web: write answer", "err", err)
	}
}

// handleAPIReports lists the reports as `govbot reports --json` does,
// filtered by ?issuer= and ?year=.
func (s *Server) handleAPIReports(w http.ResponseWriter, r *http.Request) {
	list := s.eng.ReportsOf(r.URL.Query().Get("issuer"), yearParam(r, "year"))
	if list == nil {
		list = []answer.ReportSummary{}
	}
	writeJSON(w, http.StatusOK, list)
}

// handleAPIReport serves one report with its paragraphs and figures.
func (s *Server) handleAPIReport(w http.ResponseWriter, r *http.Request) {
	rep := s.report(r.PathValue("id"))
	if rep == nil {
		writeJSONError(w, http.StatusNotFound, "没有这份报告。")
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// fail answers with an error page, or a JSON error under /api/.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code int, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, code, msg)
		return
	}
	s.render(w, code, "error", &errorPage{Title: http.StatusText(code), Code: code, Message: msg})
}

type errorPage struct {
	Title   string
	Code    int
	Message string
}

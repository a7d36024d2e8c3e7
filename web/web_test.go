package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govbot/govbot/answer"
	"github.com/govbot/govbot/corpus"
)

// The questions of the page tests, of the kinds staff ask: a figure with a
// year, a figure without one, a comparison of years, a county figure, and
// one the reports do not answer.
var pageQuestions = []string{
	"2024年全国城镇新增就业多少人",
	"湖北地区生产总值是多少",
	"湖北2024年和2025年地区生产总值对比",
	"全国这几年城镇新增就业分别是多少",
	"房县去年办理了多少件行政复议案件",
	"房县今年中小学招生政策是什么",
	"咱们县的应急广播覆盖了多少个乡镇",
	"咱们省的地区生产总值是多少",
}

// TestAskPageShowsTheReply checks that the page states what the chat reply
// states: the figure and its note, the marked excerpt, the citation, each
// row of a comparison, the reason and suggestions of an abstention.
func TestAskPageShowsTheReply(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	for _, q := range pageQuestions {
		t.Run(q, func(t *testing.T) {
			a := ask(t, q)
			w := get(s, "/?q="+url.QueryEscape(q), "")
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			page := w.Body.String()
			text := pageText(page)
			want := func(what, s string) {
				t.Helper()
				if s = spaceRe.ReplaceAllString(s, ""); s != "" && !strings.Contains(text, s) {
					t.Errorf("%s %q not on the page", what, s)
				}
			}
			want("reason", a.Reason)
			want("fact", a.Fact)
			for _, sg := range a.Suggestions {
				want("suggestion", sg)
			}
			for _, pl := range a.Places {
				want("place", pl)
				if !strings.Contains(strings.ToLower(page), strings.ToLower(`href="/?q=`+url.QueryEscape(pl+q))) {
					t.Errorf("no link to ask of %s", pl)
				}
			}
			if a.Figure != nil && len(a.Series) == 0 {
				line := answer.FigureLine(a.Figure)
				if a.Note != "" {
					line += "（" + a.Note + "）"
				}
				want("figure line", line)
				if !strings.Contains(page, `<h2 class="figure">`) {
					t.Error("no figure heading")
				}
			}
			for _, r := range answer.SeriesRows(a) {
				want("series label", r.Label)
				want("series figure", r.Figure)
				want("series change", r.Change)
			}
			for i, p := range a.Answers {
				before, mark, after := p.Marked()
				want("excerpt", before+mark+after)
				if mark != "" && !strings.Contains(page, "<mark class=\"fig\">"+mark+"</mark>") {
					t.Errorf("answer %d: figure %q not marked", i, mark)
				}
				want("citation", p.Citation())
				link := reportLink(p.Report.ID, p.Paragraph)
				if !strings.Contains(page, `href="`+link+`"`) {
					t.Errorf("answer %d: no link to %s", i, link)
				}
			}
			if a.Answered && len(a.Series) == 0 && a.Figure != nil && !strings.Contains(a.Reply, answer.FigureLine(a.Figure)) {
				t.Errorf("reply %q lacks the figure", a.Reply)
			}
		})
	}
}

// TestAPIAskIsTheAskJSON checks that /api/ask serves, byte for byte, the
// JSON line answer.WriteJSON writes for `govbot ask --json`.
func TestAPIAskIsTheAskJSON(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	for _, q := range pageQuestions {
		var want bytes.Buffer
		if err := answer.WriteJSON(&want, ask(t, q)); err != nil {
			t.Fatal(err)
		}
		w := get(s, "/api/ask?q="+url.QueryEscape(q), "")
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%s: status %d, type %q", q, w.Code, w.Header().Get("Content-Type"))
		}
		if w.Body.String() != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", q, w.Body, want.String())
		}
	}
}

func TestAPIReports(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	var all, hubei []answer.ReportSummary
	decode := func(target string, v any) {
		t.Helper()
		w := get(s, target, "")
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d", target, w.Code)
		}
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
	}
	decode("/api/reports", &all)
	if len(all) != len(testFiles)+1 {
		t.Errorf("%d reports, want %d", len(all), len(testFiles)+1)
	}
	decode("/api/reports?issuer="+url.QueryEscape("湖北")+"&year=2026", &hubei)
	if len(hubei) != 1 || hubei[0].ID != "2026-hubei-gwr" {
		t.Errorf("湖北 2026: %+v", hubei)
	}
	var none []answer.ReportSummary
	decode("/api/reports?issuer="+url.QueryEscape("台湾"), &none)
	if none == nil || len(none) != 0 {
		t.Errorf("台湾: want [], got %+v", none)
	}
	var rep struct {
		ID         string `json:"id"`
		DocNumber  string `json:"doc_number"`
		Paragraphs []struct {
			ID      string `json:"id"`
			Figures []struct {
				Text string `json:"text"`
			} `json:"figures"`
		} `json:"paragraphs"`
	}
	decode("/api/reports/2024-fangxian-fzzf", &rep)
	if rep.ID != "2024-fangxian-fzzf" || len(rep.Paragraphs) == 0 {
		t.Errorf("report: %+v", rep)
	}
}

// TestHostileTextIsEscaped serves a report whose title, issuer, metadata
// and text carry markup, and questions that do, and finds none of it live.
func TestHostileTextIsEscaped(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	targets := []string{
		"/reports/" + hostileID,
		"/reports",
		"/reports?issuer=" + url.QueryEscape(`<script>alert(1)</script>`),
		"/?q=" + url.QueryEscape(`恶意县办理了多少件测试案件`),
		"/?q=" + url.QueryEscape(`<script>alert(1)</script>"><img src=x onerror=alert(1)>多少`),
		"/?q=" + url.QueryEscape(`<script>alert(1)</script>`) + "&issuer=" + url.QueryEscape(`"><script>`),
		"/nope/" + url.PathEscape(`<script>alert(1)</script>`),
	}
	for _, target := range targets {
		w := get(s, target, "")
		body := w.Body.String()
		for _, bad := range []string{"<script", "<img", "<iframe", "</textarea", "<b>测试", `href="javascript:`} {
			if strings.Contains(strings.ToLower(body), bad) {
				i := strings.Index(strings.ToLower(body), bad)
				t.Errorf("%s: %q is in the page: …%s…", target, bad, body[max(0, i-80):min(len(body), i+80)])
			}
		}
	}
	// The escaped text is there: the report page shows its title and text.
	page := get(s, "/reports/"+hostileID, "").Body.String()
	for _, want := range []string{"测试报告&lt;script&gt;", "&lt;iframe src=", "<mark class=\"fig\""} {
		if !strings.Contains(page, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	w := get(s, "/api/ask?q="+url.QueryEscape(`<script>alert(1)</script>`), "")
	if strings.Contains(w.Body.String(), "<script") {
		t.Errorf("API answer has raw markup: %s", w.Body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	for _, target := range []string{"/", "/reports", "/api/reports", "/static/style.css", "/missing"} {
		h := get(s, target, "").Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", target, h)
		}
	}
}

func TestStatusCodes(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1, MaxQuestionRunes: 50, MaxBodyBytes: 1024})
	long := strings.Repeat("多", 51)
	tests := []struct {
		method, target string
		body           string
		want           int
	}{
		{"GET", "/", "", 200},
		{"GET", "/static/style.css", "", 200},
		{"GET", "/missing", "", 404},
		{"GET", "/reports/no-such-report", "", 404},
		{"GET", "/api/reports/no-such-report", "", 404},
		{"GET", "/reports/a/b", "", 404},
		{"POST", "/", "q=x", 405},
		{"POST", "/api/ask", "", 405},
		{"DELETE", "/reports/2024-fangxian-fzzf", "", 405},
		{"PUT", "/api/reports", strings.Repeat("x", 2048), 413},
		{"GET", "/?q=" + url.QueryEscape(long), "", 413},
		{"GET", "/api/ask?q=" + url.QueryEscape(long), "", 413},
		{"GET", "/api/ask", "", 400},
		{"GET", "/api/ask?q=%ff%fe", "", 400},
		{"GET", "/csv", "", 400},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("%s %s: status %d, want %d: %.200s", tt.method, tt.target, w.Code, tt.want, w.Body)
		}
		if strings.HasPrefix(tt.target, "/api/") && tt.want >= 400 && tt.want != 405 {
			var e struct{ Error string }
			if json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
				t.Errorf("%s %s: not a JSON error: %s", tt.method, tt.target, w.Body)
			}
		}
		if strings.Contains(tt.target, "q="+url.QueryEscape(long)) {
			if want := html.EscapeString(answer.CheckLength(long, 50).Error()); !strings.Contains(w.Body.String(), want) {
				t.Errorf("%s %s: no %q (the message of every medium) in %.300s", tt.method, tt.target, want, w.Body)
			}
		}
	}
}

func TestRateLimit(t *testing.T) {
	s := newServer(t, Options{RateBurst: 3, RateEvery: time.Hour, MaxClients: 2})
	for i := range 3 {
		if w := get(s, "/reports", "192.0.2.1:1000"); w.Code != http.StatusOK {
			t.Fatalf("request %d: status %d", i+1, w.Code)
		}
	}
	w := get(s, "/api/reports", "192.0.2.1:1001")
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("4th request: status %d, want 429", w.Code)
	}
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	if !strings.Contains(w.Body.String(), "error") {
		t.Errorf("API 429 is not a JSON error: %s", w.Body)
	}
	if w := get(s, "/reports", "192.0.2.2:1000"); w.Code != http.StatusOK {
		t.Errorf("another address: status %d", w.Code)
	}
	if w := get(s, "/reports", "192.0.2.1:1002"); w.Code != http.StatusTooManyRequests {
		t.Errorf("same address again: status %d", w.Code)
	}
	// Two more addresses push the first out of the bounded table.
	get(s, "/reports", "192.0.2.3:1000")
	get(s, "/reports", "192.0.2.4:1000")
	if n := s.limiter.seen.Len(); n > 2 {
		t.Errorf("%d addresses tracked, want at most 2", n)
	}
}

// TestConversation asks a follow-up about "这份报告" in one browser
// session: it is answered from the report of the first answer, and the
// page lists the conversation so far.
func TestConversation(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1, MaxSessions: 2})
	first := "湖北2024年地区生产总值是多少"
	w := get(s, "/?q="+url.QueryEscape(first), "")
	var cookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || len(cookie.Value) != 32 {
		t.Fatalf("session cookie: %+v", cookie)
	}
	a := ask(t, first)
	if len(a.Answers) == 0 {
		t.Fatalf("no answer to %s", first)
	}
	follow := "这份报告的发布日期是哪天"
	r := httptest.NewRequest(http.MethodGet, "/?q="+url.QueryEscape(follow), nil)
	r.AddCookie(cookie)
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	page := w.Body.String()
	wantDate := a.Answers[0].Report.Published.Format("2006-01-02")
	if !strings.Contains(pageText(page), wantDate) {
		t.Errorf("follow-up not about %s (%s): %s", a.Answers[0].Report.ID, wantDate, pageText(page))
	}
	if !strings.Contains(page, "本次对话") || !strings.Contains(page, first) {
		t.Error("the page does not list the conversation")
	}
	// Without the cookie the same question has no report to refer to.
	alone := ask(t, follow)
	if strings.Contains(alone.Reply, wantDate) && alone.Answers[0].Report.ID == a.Answers[0].Report.ID {
		t.Logf("note: the question alone is answered from the same report")
	}
	// The store keeps at most MaxSessions conversations.
	for range 3 {
		get(s, "/?q="+url.QueryEscape(first), "")
	}
	if n := s.sessions.len(); n > 2 {
		t.Errorf("%d sessions kept, want at most 2", n)
	}
}

func TestFilters(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	tests := []struct {
		q, issuer string
		year      int
		want      string
	}{
		{"地区生产总值是多少", "湖北省人民政府", 0, "湖北省人民政府地区生产总值是多少"},
		{"城镇新增就业多少人", "国务院", 2024, "国务院2024年城镇新增就业多少人"},
		{"湖北去年地区生产总值", "国务院", 2023, "湖北去年地区生产总值"},
		{"房县办了多少件案件", "", 2023, "2023年房县办了多少件案件"},
	}
	for _, tt := range tests {
		if got := s.filtered(tt.q, tt.issuer, tt.year); got != tt.want {
			t.Errorf("filtered(%q, %q, %d) = %q, want %q", tt.q, tt.issuer, tt.year, got, tt.want)
		}
	}
	// The page answers the filtered question and says so.
	w := get(s, "/?q="+url.QueryEscape("地区生产总值是多少")+"&issuer="+url.QueryEscape("湖北省人民政府")+"&year=2025", "")
	a := ask(t, "湖北省人民政府2025年地区生产总值是多少")
	text := pageText(w.Body.String())
	if !strings.Contains(text, "按筛选提问：湖北省人民政府2025年地区生产总值是多少") || a.Figure == nil || !strings.Contains(text, answer.FigureLine(a.Figure)) {
		t.Errorf("filtered question page: %s", text)
	}
}

func TestCSV(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	q := "湖北2024年和2025年地区生产总值对比"
	a := ask(t, q)
	w := get(s, "/csv?q="+url.QueryEscape(q), "")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d, type %q", w.Code, w.Header().Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := answer.SeriesRows(a)
	if len(rows) < 2 || len(recs) != len(rows)+1 {
		t.Fatalf("%d records for %d rows", len(recs), len(rows))
	}
	for i, r := range rows {
		rec := recs[i+1]
		if rec[1] != r.Label || rec[2] != r.Figure || rec[5] != r.Change || rec[7] != a.Answers[r.Point.Passage].Citation() {
			t.Errorf("row %d: %q, want %s %s %s", i, rec, r.Label, r.Figure, r.Change)
		}
	}
	if got := csvSafe([]string{"=1+1", "-5", "+x", "@SUM(A1)", "正常"}); got[0] != "'=1+1" || got[1] != "-5" || got[2] != "'+x" || got[3] != "'@SUM(A1)" || got[4] != "正常" {
		t.Errorf("csvSafe: %q", got)
	}
}

func TestReportPage(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	rep, err := testEngine(t).Report("2024-fangxian-fzzf")
	if err != nil {
		t.Fatal(err)
	}
	page := get(s, "/reports/2024-fangxian-fzzf", "").Body.String()
	for _, want := range []string{rep.Title, rep.Issuer, rep.IndexNumber, rep.Published.Format("2006-01-02"), "索引号"} {
		if !strings.Contains(page, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	marks, figs := strings.Count(page, `<mark class="fig"`), 0
	for _, p := range rep.Paragraphs {
		if !strings.Contains(page, `<p id="p`+strconv.Itoa(p.Seq)+`">`) {
			t.Errorf("no anchor for paragraph %d", p.Seq)
		}
		figs += len(p.Figures)
	}
	if marks != figs || figs == 0 {
		t.Errorf("%d figures marked, report has %d", marks, figs)
	}
	// Every heading above a paragraph is on the page, in order.
	at := 0
	for _, p := range rep.Paragraphs {
		for _, h := range p.Path {
			if h.Inline {
				continue
			}
			i := strings.Index(page[at:], ">"+h.Text+"<")
			if i < 0 && !strings.Contains(page, ">"+h.Text+"<") {
				t.Errorf("heading %q missing", h.Text)
			}
			if i >= 0 {
				at += i
			}
		}
	}
}

func TestReportsPageFilter(t *testing.T) {
	s := newServer(t, Options{RateBurst: -1})
	page := get(s, "/reports?issuer="+url.QueryEscape("全国"), "").Body.String()
	n := strings.Count(page, `<a href="/reports/`)
	if n != 3 || !strings.Contains(page, "2025-state-council-gwr") || strings.Contains(page, "hubei") {
		t.Errorf("全国: %d reports", n)
	}
	// Newest first.
	if i, j := strings.Index(page, "2025-state-council-gwr"), strings.Index(page, "2023-state-council-gwr"); i > j {
		t.Error("not newest first")
	}
}

func TestSeriesChart(t *testing.T) {
	row := func(year int, text string, value float64, unit string) answer.ViewRow {
		return answer.ViewRow{Year: year, Label: strconv.Itoa(year) + "年", Value: text,
			Figure: answer.Figure{Text: text, Value: value, Unit: unit}}
	}
	tests := []struct {
		name  string
		rows  []answer.ViewRow
		bars  int
		ratio float64 // height of the first bar over the last's; 0 to skip
		note  bool
	}{
		{"same unit", []answer.ViewRow{row(2024, "60013亿元", 6.0013e12, "亿元"), row(2025, "62661亿元", 6.2661e12, "亿元")}, 2, 60013.0 / 62661, false},
		{"magnitudes", []answer.ViewRow{row(2023, "126万亿元", 1.26e14, "万亿元"), row(2024, "134.9万亿元", 1.349e14, "万亿元"), row(2022, "1210000亿元", 1.21e14, "亿元")}, 3, 126.0 / 121, false},
		{"rates", []answer.ViewRow{row(2022, "3%", 3, "%"), row(2023, "5.2%", 5.2, "%"), row(2024, "5％", 5, "％")}, 3, 3.0 / 5, false},
		{"negative", []answer.ViewRow{row(2019, "6.1%", 6.1, "%"), row(2020, "-1.5%", -1.5, "%")}, 2, 0, false},
		{"units differ", []answer.ViewRow{row(2023, "5.2%", 5.2, "%"), row(2024, "134.9万亿元", 1.349e14, "万亿元")}, 0, 0, true},
		{"one point", []answer.ViewRow{row(2023, "5.2%", 5.2, "%")}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, note := seriesChart(tt.rows)
			if (note != "") != tt.note {
				t.Errorf("note %q", note)
			}
			if tt.bars == 0 {
				if c != nil {
					t.Errorf("chart %v, want none", c)
				}
				return
			}
			if c == nil || len(c.Bars) != tt.bars {
				t.Fatalf("chart %+v", c)
			}
			for _, b := range c.Bars {
				if b.Y < c.Top-0.1 || b.Y+b.H > c.Bottom+0.1 || b.X < c.Left || b.X+b.W > c.Right {
					t.Errorf("bar %+v outside the plot %+v", b, c)
				}
			}
			if tt.ratio > 0 {
				got := c.Bars[0].H / c.Bars[len(c.Bars)-1].H
				if d := got - tt.ratio; d > 0.02 || d < -0.02 {
					t.Errorf("bar ratio %.3f, want %.3f", got, tt.ratio)
				}
			}
		})
	}
}

// TestReportPageCache serves a report page from the cache until the report
// is re-indexed with new text, then the new text.
func TestReportPageCache(t *testing.T) {
	e, err := answer.OpenDefault()
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	s, err := New(e, Options{RateBurst: -1})
	if err != nil {
		t.Fatal(err)
	}
	def, err := answer.DefaultReport()
	if err != nil {
		t.Fatal(err)
	}
	target := "/reports/" + url.PathEscape(def.ID)
	first := get(s, target, "").Body.String()
	if again := get(s, target, "").Body.String(); again != first || s.reportPages.lru.Len() != 1 {
		t.Fatalf("second view differs or is not cached (%d cached)", s.reportPages.lru.Len())
	}
	changed, err := corpus.Parse(def.ID+".txt", []byte(def.Title+"\n\n一、新的一节\n\n全县新增测试项目12个。\n"), corpus.Meta{ID: def.ID, Title: def.Title, Issuer: def.Issuer})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Add(context.Background(), changed); err != nil {
		t.Fatal(err)
	}
	page := get(s, target, "").Body.String()
	if !strings.Contains(page, "全县新增测试项目<mark class=\"fig\"") || strings.Contains(page, "行政复议") {
		t.Errorf("re-indexed report served from the cache:\n%.600s", pageText(page))
	}
}

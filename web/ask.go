package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/govbot/govbot/answer"
)

// askPage is the data of the question page.
type askPage struct {
	Title string
	// Q is the question as typed; Asked the question put to the engine
	// when the filters added to it.
	Q, Asked string
	// Issuer and Year are the filters; Issuers and Years their choices.
	Issuer  string
	Year    int
	Issuers []string
	Years   []int
	A       *answerView
	History []turn
	Error   string
}

// answerView is an answer laid out for the page: answer.Layout's View,
// which the terminal and Telegram replies draw too, and what only the page
// adds to it.
type answerView struct {
	// View is what every medium shows: headline, qualifier, caveat or
	// reason, comparison rows, the cited passage, suggestions.
	answer.View
	// Answered and Fact style the card and the headline (the engine
	// abstained; the headline is a fact, not a figure).
	Answered, Fact bool
	// Places are the places the question may mean, to ask again.
	Places []placeChoice
	// More are the other passages found: those no comparison row cites.
	More []*answer.ViewPassage
	// Chart draws the comparison rows, or ChartNote says why not; CSV
	// links them as CSV.
	Chart     *chart
	ChartNote string
	CSV       string
	// Reply is the plain-text reply, as the chat bot sends it.
	Reply string
}

// placeChoice is a place the question may mean, with the question asked
// of that place.
type placeChoice struct {
	Name, Ask string
}

func (s *Server) handleAsk(w http.ResponseWriter, r *http.Request) {
	p := &askPage{Title: "问答", Issuers: s.issuers(), Years: s.years()}
	q, err := s.question(r)
	if err != nil {
		code, msg := s.questionError(err)
		p.Error = msg
		s.render(w, code, "ask", p)
		return
	}
	p.Q = q
	p.Issuer = strings.TrimSpace(r.URL.Query().Get("issuer"))
	if !slices.Contains(p.Issuers, p.Issuer) {
		p.Issuer = ""
	}
	p.Year = yearParam(r, "year")
	conv := s.sessions.get(r)
	if q == "" {
		if conv != nil {
			p.History = conv.history()
		}
		s.render(w, http.StatusOK, "ask", p)
		return
	}
	asked := s.filtered(q, p.Issuer, p.Year)
	if asked != q {
		p.Asked = asked
	}
	if conv == nil {
		conv = s.sessions.start(w, r)
	}
	p.History = conv.history()
	a, err := s.ask(r.Context(), &conv.conv, asked)
	if err != nil {
		p.Error = "暂时无法回答，请稍后再试。"
		s.render(w, http.StatusServiceUnavailable, "ask", p)
		return
	}
	p.A = viewAnswer(a)
	if len(a.Series) > 0 {
		p.A.CSV = "/csv?" + url.Values{"q": {asked}}.Encode()
	}
	conv.add(turn{Question: asked, Summary: firstLine(a.Reply)})
	p.Title = q
	s.render(w, http.StatusOK, "ask", p)
}

// yearNamedRe matches a question that names the year it asks about.
var yearNamedRe = regexp.MustCompile(`\d{4}\s*年|[去今明前上本]年|这几年|近几年|历年|\d+年来`)

// filtered returns the question with the filters written into it, the way
// a user would: the issuer's name in front when the question names no
// issuer, the year when it names none. The engine then scopes it as it
// scopes any question, and the page shows what was asked.
func (s *Server) filtered(q, issuer string, year int) string {
	if year != 0 && !yearNamedRe.MatchString(q) {
		q = fmt.Sprintf("%d年", year) + q
	}
	if issuer != "" && len(s.eng.IssuersNamed(q)) == 0 {
		q = issuer + q
	}
	return q
}

// issuers lists the issuers of the indexed reports, most reports first.
func (s *Server) issuers() []string {
	count := map[string]int{}
	var out []string
	for _, r := range s.eng.Reports() {
		if r.Issuer == "" {
			continue
		}
		if count[r.Issuer] == 0 {
			out = append(out, r.Issuer)
		}
		count[r.Issuer]++
	}
	slices.SortStableFunc(out, func(a, b string) int { return count[b] - count[a] })
	return out
}

// years lists the years of the indexed reports, newest first.
func (s *Server) years() []int {
	var out []int
	for _, r := range s.eng.Reports() {
		if r.Year > 0 && !slices.Contains(out, r.Year) {
			out = append(out, r.Year)
		}
	}
	slices.SortFunc(out, func(a, b int) int { return b - a })
	return out
}

// viewAnswer lays an answer out for the page: answer.Layout, as the
// terminal and Telegram replies do, plus the other passages, the places to
// choose from and the chart of a comparison.
func viewAnswer(a *answer.Answer) *answerView {
	v := &answerView{View: answer.Layout(a), Answered: a.Answered, Fact: a.Fact != "", Reply: a.Reply}
	for _, pl := range a.Places {
		v.Places = append(v.Places, placeChoice{Name: pl, Ask: pl + a.Question})
	}
	shown := map[int]bool{}
	if len(a.Series) > 0 {
		for _, p := range a.Series {
			shown[p.Passage] = true
		}
		v.Chart, v.ChartNote = seriesChart(v.Rows)
	} else if v.Passage != nil {
		shown[0] = true
	}
	for i, p := range a.Answers {
		if !shown[i] {
			v.More = append(v.More, p.View())
		}
	}
	return v
}

// periodNames name a passage's Period.
var periodNames = map[string]string{"review": "回顾", "target": "目标", "period": "多年"}

// passageWhen says which year and part of its report a passage is from:
// "2024年 · 回顾".
func passageWhen(p *answer.ViewPassage) string {
	if p.Source == nil {
		return ""
	}
	var when []string
	if p.Source.Year > 0 {
		when = append(when, fmt.Sprintf("%d年", p.Source.Year))
	}
	if n := periodNames[p.Source.Period]; n != "" {
		when = append(when, n)
	}
	return strings.Join(when, " · ")
}

// passageLink links the report page at the passage's paragraph.
func passageLink(p *answer.ViewPassage) string {
	if p.Source == nil {
		return ""
	}
	return reportLink(p.Source.Report.ID, p.Source.Paragraph)
}

// reportLink links a report page, at the paragraph's anchor when given
// (a paragraph ID is "<reportID>#p<seq>").
func reportLink(reportID, paragraphID string) string {
	u := "/reports/" + url.PathEscape(reportID)
	if i := strings.LastIndexByte(paragraphID, '#'); i >= 0 {
		u += "#" + url.PathEscape(paragraphID[i+1:])
	}
	return u
}

// webURL returns u when it is an http(s) link, else "".
func webURL(u string) string {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return ""
	}
	return u
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

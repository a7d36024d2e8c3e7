// Package answer turns a question in Chinese into a cited answer: it
// understands what the question asks (a number and its unit, a passage, a
// fact about the report), ranks paragraphs and their figures from the index,
// chooses the figure, and abstains when the reports do not say.
package answer

import (
	"time"

	"github.com/govbot/govbot/corpus"
)

// Answer is the reply to one question.
type Answer struct {
	// Question is the question as asked.
	Question string `json:"question"`
	// Answered is false when govbot abstains: the reports do not say.
	Answered bool `json:"answered"`
	// Figure is the figure that answers a question asking for a number; nil otherwise.
	Figure *Figure `json:"figure"`
	// Answers are the supporting passages, best first.
	Answers []Passage `json:"answers"`
	// Fact answers a question about the report itself (issuer, date, title), when it asks one.
	Fact string `json:"fact,omitempty"`
	// Series lists one figure per year when the question compares years, oldest first.
	Series []Point `json:"series,omitempty"`
	// Reason says why govbot abstained, for the user ("报告中没有提到…").
	Reason string `json:"reason,omitempty"`
	// Suggestions are topics the reports do cover, offered when abstaining.
	Suggestions []string `json:"suggestions,omitempty"`
	// Places are the places a question about "咱们县" may mean when the
	// reports of several speak of its topic: the reply asks which.
	Places []string `json:"places,omitempty"`
	// Note qualifies the figure when the question left it open, e.g. the
	// year it is about ("2025年") when the question named none.
	Note string `json:"note,omitempty"`
	// Reply is the exact plain text a chat user sees.
	Reply string `json:"reply"`
}

// Figure is the answering figure in the JSON shape of `govbot ask --json`.
type Figure struct {
	Text    string  `json:"text"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Approx  string  `json:"approx"`
	Context string  `json:"context"`
}

// ReportRef identifies and cites a report: the part of its corpus.Meta a
// citation shows (refOf makes one). It is not corpus.Meta itself because it
// is the "report" object of the answers served as JSON (govbot ask --json,
// the web API), whose fields must stay as they are: url always present, no
// speaker or disclosure fields.
type ReportRef struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Issuer    string    `json:"issuer"`
	Published time.Time `json:"published"`
	Year      int       `json:"year,omitempty"`
	URL       string    `json:"url"`
}

// Passage is one cited paragraph supporting an answer.
type Passage struct {
	Report ReportRef `json:"report"`
	// Section is the heading path, outermost first.
	Section []string `json:"section"`
	// Paragraph is the paragraph ID.
	Paragraph string `json:"paragraph"`
	// Excerpt is the sentence(s) that state the answer, cut from the paragraph.
	Excerpt string `json:"excerpt"`
	// Mark is the byte range of the answering figure within Excerpt; [0,0] when none.
	Mark [2]int `json:"mark"`
	// Figures are the figures stated in the excerpt.
	Figures []corpus.Figure `json:"figures"`
	Score   float64         `json:"score"`
	// Year is the year the excerpt speaks about (a report delivered in Y
	// reviews Y−1 and sets targets for Y); 0 when unknown. Period says
	// which: "review", "target" or "period" (several years).
	Year   int    `json:"year,omitempty"`
	Period string `json:"period,omitempty"`
}

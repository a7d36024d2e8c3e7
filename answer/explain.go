package answer

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// explainKey carries the writer --explain writes to.
type explainKey struct{}

// WithExplain returns a context under which the engine writes to w, for
// each question, how it understood it (frame and topic words with their
// weights, place, years, what kind of answer is asked), its scope, the
// best candidates with the rules that scored them, and why the answer
// won: `govbot ask --explain`.
func WithExplain(ctx context.Context, w io.Writer) context.Context {
	return context.WithValue(ctx, explainKey{}, w)
}

// explainer returns the writer of WithExplain, nil when not explaining.
func explainer(ctx context.Context) io.Writer {
	w, _ := ctx.Value(explainKey{}).(io.Writer)
	return w
}

// explaining reports whether the engine explains this question.
func explaining(ctx context.Context) bool { return explainer(ctx) != nil }

// maxExplained is how many candidates --explain shows.
const maxExplained = 6

// explainQuestion writes how q was understood and its terms.
func explainQuestion(w io.Writer, q *question, terms []term, sc scope) {
	fmt.Fprintf(w, "question: %q\n", q.raw)
	fmt.Fprintf(w, "  read as: %q; topic words: %q\n", q.norm, q.content)
	var asks []string
	switch {
	case q.meta != metaNone:
		asks = append(asks, "a fact about the report")
	case q.wantsNumber:
		asks = append(asks, "a number")
		if q.unit != "" {
			asks = append(asks, "unit "+q.unit)
		}
		if q.counted != "" {
			asks = append(asks, "counting "+q.counted)
		}
		if q.form != formNone {
			asks = append(asks, "form "+formNames[q.form]+" "+q.formWord)
		}
	default:
		asks = append(asks, "a passage")
	}
	if q.target {
		asks = append(asks, "a target")
	}
	if q.compare {
		asks = append(asks, "a comparison")
	}
	fmt.Fprintf(w, "  asks: %s\n", strings.Join(asks, ", "))
	place := strings.Join(q.issuers, "、")
	if q.place != "" {
		place += fmt.Sprintf(" (from the word for the user's %s place, resolved by %s)", q.place, q.placeFrom)
	}
	if place == "" {
		place = "none named"
	}
	fmt.Fprintf(w, "  place: %s; years: %v relative: %v/%d; scope: %d reports, intent %q, no year named: %v\n",
		place, q.years, q.hasRelative, q.relative, len(sc.ids), sc.intent, sc.yearNote)
	for i, t := range terms {
		mark := ""
		if i == keyTerm(terms) {
			mark = " (key)"
		}
		fmt.Fprintf(w, "  term %s w=%.2f%s\n", strings.Join(t.alts, "|"), t.w, mark)
	}
}

// explainChoice writes the best candidates, the rules that scored them,
// and why each above the answer lost.
func explainChoice(w io.Writer, q *question, cands []*candidate, a *Answer) {
	for i, c := range cands {
		if i == maxExplained {
			fmt.Fprintf(w, "  … %d more candidates\n", len(cands)-i)
			break
		}
		what := "sentence"
		if c.fig != nil {
			what = "figure " + c.fig.Text
		}
		fmt.Fprintf(w, "  #%d %.3f %s in %s (year %d)\n     %.70s\n", i+1, c.score, what, c.para.ID, c.year, c.para.Text[c.sStart:c.sEnd])
		for _, r := range c.rules {
			if r.delta != 0 {
				fmt.Fprintf(w, "     %+.3f %s\n", r.delta, r.name)
			}
		}
		if reason := why(q, c); reason != "" {
			fmt.Fprintf(w, "     not taken: %s\n", reason)
		}
	}
	switch {
	case a.Answered && a.Figure != nil:
		fmt.Fprintf(w, "  answer: %s from %s\n", a.Figure.Text, a.Answers[0].Paragraph)
	case a.Answered:
		fmt.Fprintf(w, "  answer: the passage %s\n", a.Answers[0].Paragraph)
	default:
		fmt.Fprintf(w, "  no answer: %s\n", a.Reason)
	}
}

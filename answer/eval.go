package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// EvalItem is one question of a question set in the format of
// ../shared/eval (one JSON object per line).
type EvalItem struct {
	ID string `json:"id"`
	Q  string `json:"q"`
	// Kind is figure, passage, meta or abstain (as in score.py), or caveat:
	// govbot's own kind for a question the reports speak of without a
	// figure (not answered, the nearest text shown under the caveat).
	Kind string `json:"kind"`
	// Expect is the figure text or fact the answer must show; any one of
	// the list will do. In JSON a string or a list of strings.
	Expect ExpectList `json:"expect"`
	// Cite is text the top cited excerpt must contain; nil when any will do.
	Cite *string `json:"cite"`
}

// ExpectList is a list of acceptable texts; in JSON a string or a list.
type ExpectList []string

// UnmarshalJSON accepts a JSON string or a list of strings.
func (x *ExpectList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*x = ExpectList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expect: want a string or a list of strings: %w", err)
	}
	*x = many
	return nil
}

func (x ExpectList) shownIn(text string) bool {
	for _, e := range x {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
}

// Judge applies the rules of ../shared/eval/score.py to one answer: it
// reports whether the answer passes and, when not, why.
func Judge(it *EvalItem, a *Answer) (bool, string) {
	if it.Kind == "abstain" {
		return !a.Answered, "should say it found nothing"
	}
	if it.Kind == "caveat" {
		// The reports speak of it without a figure: not answered, the
		// nearest text shown under the caveat.
		ok := !a.Answered && a.Reason == noNumberReason && len(a.Answers) > 0 &&
			(it.Cite == nil || strings.Contains(a.Answers[0].Excerpt, *it.Cite))
		return ok, "should show the nearest text under the no-number caveat"
	}
	if !a.Answered || len(a.Answers) == 0 {
		return false, "no answer"
	}
	hit1 := it.Cite == nil || strings.Contains(a.Answers[0].Excerpt, *it.Cite)
	switch it.Kind {
	case "figure":
		fig := ""
		if a.Figure != nil {
			fig = a.Figure.Text
		}
		if !it.Expect.shownIn(fig) {
			return false, fmt.Sprintf("figure %q, want %q", fig, []string(it.Expect))
		}
		return hit1, "figure right, but the top excerpt does not cite it"
	case "passage":
		return hit1, "top excerpt misses the passage"
	case "meta":
		return it.Expect.shownIn(a.Reply), "reply misses the fact"
	}
	return false, fmt.Sprintf("unknown kind %q", it.Kind)
}

// EvalResult is the outcome of one question set.
type EvalResult struct {
	File          string
	Passed, Total int
	// PerKind maps a kind to its passes and total.
	PerKind map[string][2]int
	// Misses are one line per failed question: id, kind, question and why.
	Misses []string
}

// EvalFile answers every question of the set at path, in order, as one
// conversation (as `govbot ask --json -` does), and judges the answers.
func (e *Engine) EvalFile(ctx context.Context, path string) (*EvalResult, error) {
	items, err := ReadEvalItems(path)
	if err != nil {
		return nil, err
	}
	res := &EvalResult{File: path, PerKind: map[string][2]int{}}
	var session Session
	for i := range items {
		it := &items[i]
		a, err := e.AskIn(ctx, &session, it.Q)
		if err != nil {
			return nil, fmt.Errorf("%s: question %s: %w", path, it.ID, err)
		}
		ok, why := Judge(it, a)
		k := res.PerKind[it.Kind]
		k[1]++
		res.Total++
		if ok {
			k[0]++
			res.Passed++
		} else {
			res.Misses = append(res.Misses, fmt.Sprintf("miss %s [%s] %s :: %s", it.ID, it.Kind, it.Q, why))
		}
		res.PerKind[it.Kind] = k
	}
	return res, nil
}

// ReadEvalItems reads a question set: one JSON object per line, blank lines skipped.
func ReadEvalItems(path string) ([]EvalItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read question set: %w", err)
	}
	defer f.Close()
	var items []EvalItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it EvalItem
		if err := json.Unmarshal([]byte(line), &it); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if it.Q == "" || it.Kind == "" {
			return nil, fmt.Errorf("%s:%d: a question needs q and kind", path, n)
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return items, nil
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/govbot/govbot/answer"
)

func init() {
	register(&command{name: "eval", summary: "score question sets (../shared/eval format) against the index", run: runEval})
}

// evalItem is one line of a question set: the format of ../shared/eval.
type evalItem struct {
	ID   string `json:"id"`
	Q    string `json:"q"`
	Kind string `json:"kind"` // figure, passage, meta or abstain
	// Expect is the figure text or fact the answer must show: a string or a
	// list of strings (any one of them).
	Expect expectList `json:"expect"`
	// Cite is text the top cited excerpt must contain; nil when any will do.
	Cite *string `json:"cite"`
}

// expectList accepts a JSON string or a list of strings.
type expectList []string

func (x *expectList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*x = expectList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("expect: want a string or a list of strings: %w", err)
	}
	*x = many
	return nil
}

func (x expectList) shownIn(text string) bool {
	for _, e := range x {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
}

// judge applies the rules of ../shared/eval/score.py to one answer: it
// reports whether the answer passes and, when not, why.
func judge(it *evalItem, a *answer.Answer) (bool, string) {
	if it.Kind == "abstain" {
		return !a.Answered, "should say it found nothing"
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

// evalResult is the outcome of one question set.
type evalResult struct {
	File          string
	Passed, Total int
	// PerKind maps a kind to its passes and total.
	PerKind map[string][2]int
	// Misses are one line per failed question: id, kind, question and why.
	Misses []string
}

// evalFile answers every question of the set at path, in order, as one
// conversation (as `govbot ask --json -` does), and judges the answers.
func evalFile(ctx context.Context, eng *answer.Engine, path string) (*evalResult, error) {
	items, err := readEvalItems(path)
	if err != nil {
		return nil, err
	}
	res := &evalResult{File: path, PerKind: map[string][2]int{}}
	var session answer.Session
	for i := range items {
		it := &items[i]
		a, err := eng.AskIn(ctx, &session, it.Q)
		if err != nil {
			return nil, fmt.Errorf("%s: question %s: %w", path, it.ID, err)
		}
		ok, why := judge(it, a)
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

func readEvalItems(path string) ([]evalItem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read question set: %w", err)
	}
	defer f.Close()
	var items []evalItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var it evalItem
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

// minScore is the --min threshold: a count of passes ("20") or a share
// ("0.9", "90%").
type minScore struct {
	set      bool
	count    int
	fraction float64
}

func (m *minScore) String() string {
	switch {
	case !m.set:
		return ""
	case m.count > 0:
		return strconv.Itoa(m.count)
	}
	return strconv.FormatFloat(m.fraction, 'g', -1, 64)
}

func (m *minScore) Set(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasSuffix(s, "%"):
		f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
		if err != nil || f < 0 || f > 100 {
			return fmt.Errorf("want a count (20), a share (0.9) or a percentage (90%%)")
		}
		m.fraction = f / 100
	case strings.Contains(s, "."):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1 {
			return fmt.Errorf("want a count (20), a share (0.9) or a percentage (90%%)")
		}
		m.fraction = f
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("want a count (20), a share (0.9) or a percentage (90%%)")
		}
		m.count = n
	}
	m.set = true
	return nil
}

// ok reports whether passed of total meets the threshold.
func (m *minScore) ok(passed, total int) bool {
	if !m.set {
		return true
	}
	if m.count > 0 || m.fraction == 0 {
		return passed >= m.count
	}
	return float64(passed) >= m.fraction*float64(total)-1e-9
}

// errBelowMin marks an eval run that scored below --min: exit status 1.
var errBelowMin = errors.New("score below --min")

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	data := fs.String("data", "", "data directory with the index (env GOVBOT_DATA); without an index the embedded sample report is used")
	var min minScore
	fs.Var(&min, "min", "fail (exit 1) when a file scores below this: a count of passes (20), a share (0.9) or a percentage (90%)")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: govbot eval [--data DIR] [--min SCORE] FILE.jsonl...")
		fmt.Fprintln(e.stderr, "Each line of FILE: {\"id\",\"q\",\"kind\":figure|passage|meta|abstain,\"expect\",\"cite\"} (the ../shared/eval format).")
		fmt.Fprintln(e.stderr, "A file's questions are asked in order as one conversation; --min applies to each file.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: eval needs question files", errUsage)
	}
	eng, err := answer.Open(dataDir(e, *data))
	if err != nil {
		return err
	}
	defer eng.Close()
	var below []string
	for _, path := range fs.Args() {
		res, err := evalFile(ctx, eng, path)
		if err != nil {
			return err
		}
		printEval(e.stdout, res)
		if !min.ok(res.Passed, res.Total) {
			below = append(below, fmt.Sprintf("%s %d/%d < %s", path, res.Passed, res.Total, min.String()))
		}
	}
	if len(below) > 0 {
		return fmt.Errorf("%w: %s", errBelowMin, strings.Join(below, "; "))
	}
	return nil
}

func printEval(w io.Writer, res *evalResult) {
	fmt.Fprintf(w, "== %s\n", res.File)
	for _, m := range res.Misses {
		fmt.Fprintln(w, m)
	}
	kinds := make([]string, 0, len(res.PerKind))
	for k := range res.PerKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "%s: %d/%d\n", k, res.PerKind[k][0], res.PerKind[k][1])
	}
	fmt.Fprintf(w, "score: %d/%d\n", res.Passed, res.Total)
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/govbot/govbot/answer"
)

func init() {
	register(&command{Name: "eval", Summary: "score question sets (../shared/eval format) against the index", Run: runEval})
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
	corpusF := corpusFlag(fs)
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
	eng, err := openDataEngine(ctx, e, *corpusF, *data)
	if err != nil {
		return err
	}
	defer eng.Close()
	var below []string
	for _, path := range fs.Args() {
		res, err := eng.EvalFile(ctx, path)
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

func printEval(w io.Writer, res *answer.EvalResult) {
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
